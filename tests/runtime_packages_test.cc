// The runtime image's package pins (deploy/containers/runtime_packages.sh)
// made on a host whose packages are older than the mirror's, by faking the
// installed versions: apt is never asked for a downgrade — a package the
// minbase set already holds takes the mirror's candidate — while any other
// keeps the host's version when the mirror still serves it. Reads this
// machine's apt indexes; no network.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/core/config.h"
#include "libs/testing/process.h"
#include "libs/testing/temp_dir.h"

namespace complaints::testing {
namespace {

using ::testing::HasSubstr;

// `script`'s stdout (a test failure when it fails); its stderr into *errors.
std::string Shell(const TempDir& dir, const std::string& script,
                  const std::map<std::string, std::string>& env = {},
                  std::string* errors = nullptr) {
  const std::string out = dir.Sub("out.txt"), err = dir.Sub("err.txt"), log = dir.Sub("log.txt");
  const int code = RunCommand({"bash", "-c", script + " >" + out + " 2>" + err}, log, env);
  const std::string text = ReadFile(out).value_or("");
  if (errors != nullptr) *errors = ReadFile(err).value_or("");
  EXPECT_EQ(code, 0) << script << "\n" << ReadFile(err).value_or("");
  return text;
}

// name=version lines as a map.
std::map<std::string, std::string> Pins(const std::string& text) {
  std::map<std::string, std::string> pins;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    const std::pair<std::string, std::string> pin = absl::StrSplit(line, absl::MaxSplits('=', 1));
    pins[pin.first] = pin.second;
  }
  return pins;
}

class RuntimePackages : public ::testing::Test {
 protected:
  std::string Script() const { return SourceDir() + "/deploy/containers/runtime_packages.sh"; }
  std::string Binary() const { return BinaryDir() + "/services/intake/intake"; }

  // Every version the mirror serves of each package, lowest first.
  std::map<std::string, std::vector<std::string>> Served(
      const std::map<std::string, std::string>& packages) {
    std::string names;
    for (const auto& [package, version] : packages) absl::StrAppend(&names, " ", package);
    std::map<std::string, std::vector<std::string>> served;
    for (absl::string_view line :
         absl::StrSplit(Shell(dir_, "apt-cache madison" + names +
                                        " | awk -F'|' '{ gsub(/ /, \"\"); print $1, $2 }'"),
                        '\n', absl::SkipEmpty())) {
      const std::pair<std::string, std::string> row = absl::StrSplit(line, ' ');
      served[row.first].push_back(row.second);
    }
    for (auto& [package, versions] : served) {
      std::sort(versions.begin(), versions.end(),
                [this](const std::string& a, const std::string& b) {
                  return a != b && RunCommand({"dpkg", "--compare-versions", a, "lt", b},
                                              dir_.Sub("compare.log")) == 0;
                });
    }
    return served;
  }

  std::string Candidate(const std::string& package) {
    return std::string(absl::StripAsciiWhitespace(
        Shell(dir_, "apt-cache policy " + package + " | awk '/Candidate:/ { print $2 }'")));
  }

  TempDir dir_;
};

TEST_F(RuntimePackages, AHostOlderThanTheMirrorNeverMakesAptDowngrade) {
  const std::map<std::string, std::string> real =
      Pins(Shell(dir_, "bash " + Script() + " " + Binary()));
  ASSERT_GT(real.size(), 10u);
  for (const char* expected : {"libc6", "libstdc++6", "zlib1g", "libssl3"}) {
    ASSERT_TRUE(real.contains(expected)) << expected << " is a runtime package of intake";
  }

  // The faked host: each package at the oldest version the mirror serves,
  // or, when it serves one only, at a version older than any it serves.
  std::map<std::string, std::vector<std::string>> served = Served(real);
  std::map<std::string, std::string> faked;
  for (const auto& [package, version] : real) {
    ASSERT_FALSE(served[package].empty()) << package;
    faked[package] =
        served[package].size() > 1 ? served[package].front() : served[package].front() + "~older";
  }
  ASSERT_GT(served["libssl3"].size(), 1u)
      << "the mirror serves several versions of libssl3, the case a non-minbase pin keeps";
  ASSERT_GT(served["zlib1g"].size(), 1u)
      << "the mirror serves an older zlib1g than minbase installs: the downgrade trap";
  {
    std::ofstream file(dir_.Sub("installed.txt"));
    for (const auto& [package, version] : faked) file << package << "=" << version << "\n";
  }

  std::string reported;
  const std::map<std::string, std::string> pins =
      Pins(Shell(dir_, "bash " + Script() + " " + Binary(),
                 {{"COMPLAINTS_INSTALLED_VERSIONS", dir_.Sub("installed.txt")}}, &reported));
  ASSERT_EQ(pins.size(), real.size());
  for (const auto& [package, version] : pins) {
    SCOPED_TRACE(package);
    const std::vector<std::string>& versions = served[package];
    EXPECT_NE(std::find(versions.begin(), versions.end(), version), versions.end())
        << version << " is a version the mirror serves";
  }
  // What minbase installs first is never pinned lower.
  for (const char* minbase : {"libc6", "libstdc++6", "libgcc-s1", "zlib1g"}) {
    EXPECT_EQ(pins.at(minbase), Candidate(minbase)) << minbase;
  }
  EXPECT_THAT(reported, HasSubstr(absl::StrCat("zlib1g: this host has ", faked["zlib1g"],
                                               ", the image takes ", Candidate("zlib1g"),
                                               " (minbase holds it)")));
  // Outside minbase the host's version stays while the mirror serves it,
  // and an unserved one gives way to the mirror's.
  EXPECT_EQ(pins.at("libssl3"), faked["libssl3"]);
  for (const auto& [package, version] : faked) {
    if (served[package].size() == 1) {
      EXPECT_EQ(pins.at(package), served[package].front()) << package;
    }
  }
}

}  // namespace
}  // namespace complaints::testing
