// CI's smoke test of bench/loadgen (the pipeline benchmark's client): a few
// seconds of fixed-rate load over mTLS from four integration identities
// against the cluster, every request answered, and the whole pipeline
// counting exactly what the generator says it submitted.
#include <cstdio>
#include <cstdlib>

#include "gtest/gtest.h"
#include "libs/core/config.h"
#include "tests/scenario.h"

namespace complaints::testing {
namespace {

// The value after "<name>=" in loadgen's summary line; -1 when absent.
int64_t SummaryField(const std::string& output, const std::string& name) {
  const size_t line = output.find("loadgen-summary ");
  if (line == std::string::npos) return -1;
  const size_t at = output.find(" " + name + "=", line);
  if (at == std::string::npos) return -1;
  return std::atoll(output.c_str() + at + name.size() + 2);
}

TEST(Loadgen, FixedRateOverMtlsIsAnsweredAndCounted) {
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  for (const char* identity :
       {"system/call-centre", "system/mail-gateway", "system/mailroom", "system/engineering-app"}) {
    TestPki::Shared().Files(identity);
  }
  const std::string log = cluster.dir() + "/loadgen.log";
  const int code = RunCommand(
      {BinaryDir() + "/bench/loadgen/loadgen", "--target=" + cluster.address(Service::kIntake),
       "--pki_dir=" + TestPki::Shared().dir(), "--data_dir=" + SourceDir() + "/tests/data/history",
       "--rate=100", "--duration=3s", "--key_prefix=smoke"},
      log);
  const std::string output = ReadFile(log).value_or("");
  std::printf("%s", output.c_str());
  EXPECT_EQ(code, 0) << output;
  const int64_t sent = SummaryField(output, "sent");
  EXPECT_GE(sent, 250) << "100/s for 3 s";
  EXPECT_EQ(SummaryField(output, "ok"), sent);
  EXPECT_EQ(SummaryField(output, "failed"), 0);
  EXPECT_EQ(SummaryField(output, "shed"), 0);
  EXPECT_TRUE(WaitUntilCounted(cluster, sent, absl::Seconds(60)))
      << "analytics counts every submission, all assigned";
}

}  // namespace
}  // namespace complaints::testing
