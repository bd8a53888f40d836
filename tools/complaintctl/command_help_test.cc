// `complaintctl COMMAND --help`, run as a user types it.
#include "tools/complaintctl/command_help.h"

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/process.h"
#include "libs/testing/temp_dir.h"

namespace complaints::ctl {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct CtlRun {
  int code;
  std::string output;
};

CtlRun Complaintctl(const std::vector<std::string>& args) {
  complaints::testing::TempDir dir;
  std::vector<std::string> argv = {complaints::testing::BinaryDir() +
                                   "/tools/complaintctl/complaintctl"};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string log = dir.Sub("out.log");
  const int code = complaints::testing::RunCommand(argv, log);
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  return {code, text.str()};
}

TEST(CommandHelp, EveryCommandShowsItsFlagsAndAnExample) {
  ASSERT_GE(CommandHelps().size(), 40u);
  for (const CommandHelp& help : CommandHelps()) {
    SCOPED_TRACE(help.name);
    const CtlRun run = Complaintctl({help.name, "--help"});
    EXPECT_EQ(run.code, 0) << run.output;
    EXPECT_THAT(run.output, StartsWith("usage: complaintctl " + help.name));
    EXPECT_THAT(run.output, HasSubstr(help.summary));
    for (const std::string& flag : help.flags)
      EXPECT_THAT(run.output, HasSubstr("  --" + flag + " "));
    EXPECT_THAT(run.output, HasSubstr("example:\n  complaintctl " + help.name + " "));
    EXPECT_EQ(run.output.find("No flags matched"), std::string::npos);
    // The example uses only flags this help names.
    std::set<std::string> named(help.flags.begin(), help.flags.end());
    for (const char* caller : {"as", "json", "timeout_seconds"}) named.insert(caller);
    for (absl::string_view word : absl::StrSplit(help.example, absl::ByAnyChar(" \n"))) {
      if (!absl::StartsWith(word, "--")) continue;
      const std::string flag(word.substr(2, word.find('=') == absl::string_view::npos
                                                ? absl::string_view::npos
                                                : word.find('=') - 2));
      EXPECT_TRUE(named.count(flag)) << "the example uses --" << flag;
    }
  }
}

TEST(CommandHelp, HelpAsACommandAndFlagsAroundItAgree) {
  const CtlRun flag = Complaintctl({"import-history", "--help"});
  const CtlRun word = Complaintctl({"help", "import-history"});
  const CtlRun before = Complaintctl({"--json", "-h", "import-history"});
  EXPECT_EQ(flag.code, 0);
  EXPECT_EQ(word.output, flag.output);
  EXPECT_EQ(before.output, flag.output);
  EXPECT_EQ(Complaintctl({"help", "import-history", "--help"}).output, flag.output);
  EXPECT_THAT(flag.output, HasSubstr("--mapping"));
  EXPECT_THAT(flag.output, HasSubstr("--dry_run"));
  EXPECT_THAT(flag.output, HasSubstr("who you are"));
}

TEST(CommandHelp, AnUnknownCommandSaysSoAndNoCommandListsThemAll) {
  const CtlRun unknown = Complaintctl({"frobnicate", "--help"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.output, HasSubstr("no command \"frobnicate\""));
  const CtlRun all = Complaintctl({"--help"});
  EXPECT_EQ(all.code, 0);
  EXPECT_THAT(all.output, HasSubstr("Commands:"));
  EXPECT_THAT(all.output, HasSubstr("COMMAND --help"));
  // Every command the overview lists has its own help.
  for (const CommandHelp& help : CommandHelps()) {
    EXPECT_THAT(all.output, HasSubstr("  " + help.name + " ")) << help.name;
  }
}

}  // namespace
}  // namespace complaints::ctl
