// The platform from its container images (deploy/containers): the images are
// assembled from the binaries this build made (build_images.sh, no second
// compile), checked for what an operator expects of them — a non-root user,
// the OCI labels, no package manager and no compiler inside — and then the
// broker and the four service images run with Podman: complaints submitted
// through them must flow end to end, and complaintctl's image must report
// every service's status.
#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/testing/process.h"
#include "libs/testing/temp_dir.h"
#include "tests/scenario.h"

namespace complaints::testing {
namespace {

constexpr char kTag[] = "ci";
constexpr int kComplaints = 60;
constexpr const char* kImages[] = {"intake", "dispatch", "tracking", "analytics", "complaintctl"};

// Runs a command; its output, or "" with a test failure when it failed.
std::string Output(const TempDir& dir, const std::vector<std::string>& argv) {
  const std::string log = dir.Sub("command.log");
  std::remove(log.c_str());
  const int code = RunCommand(argv, log);
  absl::StatusOr<std::string> text = ReadFile(log);
  EXPECT_EQ(code, 0) << argv[0] << " " << argv[1] << ": " << text.value_or("");
  return code == 0 ? text.value_or("") : "";
}

std::vector<std::string> Podman(std::vector<std::string> args) {
  args.insert(args.begin(), {"podman", "--cgroup-manager=cgroupfs"});
  return args;
}

class Containers : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setenv("CONTAINERS_CONF", (SourceDir() + "/deploy/containers/containers.conf").c_str(), 1);
    TempDir dir;
    const std::string log = dir.Sub("images.log");
    const int code = RunCommand(
        {"bash", SourceDir() + "/deploy/containers/build_images.sh", BinaryDir(), kTag}, log);
    std::printf("%s", ReadFile(log).value_or("").c_str());
    ASSERT_EQ(code, 0) << "build_images.sh failed";
  }
};

TEST_F(Containers, EachImageIsNonRootLabelledAndHoldsNoToolchain) {
  TempDir dir;
  const std::string version(absl::StripAsciiWhitespace(*ReadFile(SourceDir() + "/VERSION")));
  for (const char* name : kImages) {
    const std::string image = absl::StrCat("complaints/", name, ":", kTag);
    SCOPED_TRACE(image);
    const std::string inspected = Output(
        dir,
        Podman({"image", "inspect", "--format",
                "{{.Config.User}}|{{index .Config.Labels \"org.opencontainers.image.version\"}}|"
                "{{index .Config.Labels \"org.opencontainers.image.revision\"}}|"
                "{{index .Config.Labels \"org.opencontainers.image.source\"}}|"
                "{{.Size}}|{{index .Config.Labels \"complaints.runtime-packages\"}}",
                image}));
    std::vector<std::string> fields = absl::StrSplit(absl::StripAsciiWhitespace(inspected), '|');
    ASSERT_EQ(fields.size(), 6u) << inspected;
    EXPECT_EQ(fields[0], "10001:10001");
    EXPECT_EQ(fields[1], version);
    EXPECT_EQ(fields[2].size(), 40u) << "the git revision";
    EXPECT_FALSE(fields[3].empty()) << "the source";
    std::printf("[figures] container: %s %s MB\n", image.c_str(),
                std::to_string(std::stoll(fields[4]) / 1000000).c_str());
    // Inside: who runs, and what is not there.
    const std::string inside = Output(
        dir, Podman({"run", "--rm", "--runtime", "runc", "--network=none", "--entrypoint", "sh",
                     image, "-c",
                     "id -u; for tool in apt apt-get dpkg gcc cc g++ c++ make perl python3; do "
                     "command -v $tool; done; ls /usr/local/bin"}));
    std::vector<std::string> lines = absl::StrSplit(inside, '\n', absl::SkipEmpty());
    ASSERT_EQ(lines.size(), 2u) << "only the user id and the binary, no tool: " << inside;
    EXPECT_EQ(lines[0], "10001");
    EXPECT_EQ(lines[1], name);

    // The label says which version of each runtime package the image took,
    // and says it truly (the image's own package list, made by dpkg).
    const std::vector<std::string> took = absl::StrSplit(fields[5], ' ', absl::SkipEmpty());
    EXPECT_GT(took.size(), 5u) << fields[5];
    EXPECT_TRUE(absl::StrContains(fields[5], "libc6=")) << fields[5];
    const std::string listed =
        Output(dir, Podman({"run", "--rm", "--runtime", "runc", "--network=none", "--entrypoint",
                            "cat", image, "/etc/complaints-packages.txt"}));
    for (const std::string& package : took) {
      EXPECT_TRUE(absl::StrContains(listed, package + "\n")) << package << " in " << image;
    }
  }
}

TEST_F(Containers, ComplaintsFlowThroughTheFourServiceImages) {
  Cluster cluster;
  cluster.UseImages(kTag);
  ASSERT_TRUE(cluster.Start());
  Nyc311Complaints data;
  const absl::Time now = complaints::WallNow();
  std::vector<std::string> ids;
  for (int i = 0; i < kComplaints; ++i) {
    Submitted submitted = Submit(cluster.intake(), data.Valid(i, "container", now));
    ASSERT_TRUE(submitted.status.ok()) << submitted.status.error_message();
    ids.push_back(submitted.response.complaint_id());
  }
  EXPECT_TRUE(WaitUntilComplete(cluster, ids, absl::Seconds(60)).empty())
      << "assigned with deadlines";
  EXPECT_TRUE(WaitUntilCounted(cluster, kComplaints, absl::Seconds(60))) << "counted";

  // complaintctl's image, as the operator on call, over mTLS to each service.
  const TlsFiles operator_files = TestPki::Shared().Files("ops/oncall");
  const std::string pki = TestPki::Shared().dir();
  TempDir dir;
  const std::string status =
      Output(dir, Podman({"run",
                          "--rm",
                          "--runtime",
                          "runc",
                          "--network=host",
                          "--uidmap",
                          "0:1:10001",
                          "--uidmap",
                          "10001:0:1",
                          "--gidmap",
                          "0:1:10001",
                          "--gidmap",
                          "10001:0:1",
                          "-v",
                          pki + ":" + pki + ":ro",
                          "-e",
                          "ASAN_OPTIONS=detect_leaks=0",
                          absl::StrCat("complaints/complaintctl:", kTag),
                          "status",
                          "--intake=" + cluster.address(Service::kIntake),
                          "--dispatch=" + cluster.address(Service::kDispatch),
                          "--tracking=" + cluster.address(Service::kTracking),
                          "--analytics=" + cluster.address(Service::kAnalytics),
                          "--cert=" + operator_files.cert,
                          "--key_file=" + operator_files.key,
                          "--ca=" + operator_files.ca}));
  for (Service service : kServices) {
    EXPECT_NE(status.find(absl::StrCat(NameOf(service), "  ready")), std::string::npos) << status;
  }
}

}  // namespace
}  // namespace complaints::testing
