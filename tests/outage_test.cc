// Kafka outage: with the broker stopped, intake still answers OK (events wait
// in its outbox) — even after a crash and restart in the middle of it; once the broker
// is back, every complaint arrives downstream.
#include <cstdio>
#include <fstream>
#include <iterator>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/eventlog/admin.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/testing/kafka_broker.h"
#include "libs/testing/process.h"
#include "libs/testing/temp_dir.h"
#include "tests/scenario.h"

namespace complaints::testing {
namespace {

constexpr int kBefore = 50;
constexpr int kDuring = 200;

TEST(Outage, ComplaintsAcceptedWhileKafkaIsDownArriveAfterwards) {
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  Nyc311Complaints data;
  const absl::Time now = complaints::WallNow();
  std::vector<std::string> ids;
  for (int i = 0; i < kBefore; ++i) {
    Submitted result = Submit(cluster.intake(), data.Valid(i, "outage", now));
    ASSERT_TRUE(result.status.ok()) << result.status.error_message();
    ids.push_back(result.response.complaint_id());
  }
  ASSERT_TRUE(WaitUntilCounted(cluster, kBefore, absl::Seconds(60)));

  ASSERT_TRUE(cluster.broker().Stop());
  std::vector<absl::Duration> latencies;
  for (int i = kBefore; i < kBefore + kDuring; ++i) {
    if (i == kBefore + kDuring / 2) {
      // Intake crashes mid-outage; its store has state, so it serves again at
      // once, broker or not.
      cluster.KillService(Service::kIntake);
      const absl::Time restarting = complaints::WallNow();
      ASSERT_TRUE(cluster.StartService(Service::kIntake));
      std::printf("[figures] outage: intake restarted and serving in %.2f s with Kafka down\n",
                  absl::ToDoubleSeconds(complaints::WallNow() - restarting));
    }
    Submitted result = Submit(cluster.intake(), data.Valid(i, "outage", now));
    ASSERT_TRUE(result.status.ok())
        << "intake must accept while Kafka is down: " << result.status.error_message();
    ids.push_back(result.response.complaint_id());
    latencies.push_back(result.latency);
  }
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(Totals(cluster).total, kBefore) << "nothing can arrive while the broker is down";

  const absl::Time restarted = complaints::WallNow();
  ASSERT_TRUE(cluster.broker().Restart());
  ASSERT_TRUE(WaitUntilCounted(cluster, kBefore + kDuring, absl::Seconds(180)))
      << "analytics total " << Totals(cluster).total << ", unassigned "
      << Totals(cluster).unassigned;
  std::vector<std::string> incomplete = WaitUntilComplete(cluster, ids, absl::Seconds(60));
  EXPECT_TRUE(incomplete.empty()) << incomplete.size() << " incomplete, first: " << incomplete[0];
  std::printf(
      "[figures] outage: %d complaints accepted with Kafka down (p50 %.2f ms, p99 %.2f ms); "
      "all delivered %.1f s after the broker restarted\n",
      kDuring, absl::ToDoubleMilliseconds(Quantile(latencies, 0.5)),
      absl::ToDoubleMilliseconds(Quantile(latencies, 0.99)),
      absl::ToDoubleSeconds(complaints::WallNow() - restarted));
}

// An unlucky operator: topics made with 6 partitions, a service told 3. State
// is laid out by partition, so it must stop (exit code 2, the reason in its
// log) instead of dead-lettering every record as misplaced.
TEST(Misconfiguration, AServiceWhosePartitionCountDisagreesWithTheTopicsStops) {
  TempDir dir;
  std::unique_ptr<KafkaBroker> broker = KafkaBroker::Start(dir.Sub("kafka"));
  ASSERT_NE(broker, nullptr);
  std::vector<absl::string_view> all(topics::kAll.begin(), topics::kAll.end());
  ASSERT_TRUE(
      EnsureTopics(broker->Client("admin", "setup"), all, {.partitions = 6}, absl::Seconds(20))
          .ok());
  const std::string log = dir.Sub("dispatch.log");
  const TlsFiles tls = TestPki::Shared().Files("service/dispatch");
  WriteTestWriterKeys(dir.Sub("writers"));
  const int code = RunCommand(
      {"timeout", "60", BinaryDir() + "/services/dispatch/dispatch", "--listen=127.0.0.1:0",
       "--brokers=" + broker->bootstrap(), "--data_dir=" + dir.Sub("dispatch"),
       "--config_dir=" + SourceDir() + "/config", "--partitions=3", "--tls_ca=" + tls.ca,
       "--tls_cert=" + tls.cert, "--tls_key=" + tls.key,
       "--kafka_password_file=" + broker->PasswordFile("dispatch"),
       "--writer_keys_dir=" + dir.Sub("writers")},
      log);
  EXPECT_EQ(code, 2) << "see " << log;
  std::ifstream file(log);
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("has 6 partitions, but --partitions is 3"), std::string::npos) << text;
}

}  // namespace
}  // namespace complaints::testing
