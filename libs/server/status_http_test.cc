// The status port over real HTTP: liveness, readiness with its reason, and
// the Prometheus exposition of calls, the pipeline's status and the build.
#include "libs/server/status_http.h"

#include <atomic>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/core/time_util.h"
#include "libs/server/httplib.h"
#include "libs/server/metrics.h"

namespace complaints {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1'795'000'000);

v1::GetStatusResponse Status(bool ready) {
  v1::GetStatusResponse status;
  status.set_service("intake");
  status.set_ready(ready);
  status.mutable_relay()->set_outbox_depth(3);
  status.mutable_relay()->set_published(41);
  *status.mutable_relay()->mutable_oldest_entry_at() = ToProto(kNow - absl::Seconds(90));
  v1::ConsumerStatus& consumer = *status.mutable_consumer();
  consumer.set_assigned(ready);
  consumer.set_applied_records(1200);
  v1::PartitionStatus& partition = *consumer.add_partitions();
  partition.set_topic("complaints.intake.v1");
  partition.set_partition(4);
  partition.set_next_offset(77);
  status.set_dead_letters(2);
  (*status.mutable_dead_letters_by_kind())["unparseable"] = 2;
  return status;
}

TEST(StatusHttp, AnswersLivenessReadinessAndMetrics) {
  std::atomic<bool> ready{false};
  ServiceMetrics metrics("intake", {.version = "1.2.3", .revision = "abc123"});
  metrics.ObserveCall("SubmitComplaint", grpc::StatusCode::OK, absl::Milliseconds(3));
  metrics.ObserveCall("SubmitComplaint", grpc::StatusCode::OK, absl::Milliseconds(40));
  metrics.ObserveCall("SubmitComplaint", grpc::StatusCode::INVALID_ARGUMENT,
                      absl::Microseconds(300));
  absl::StatusOr<std::unique_ptr<StatusHttp>> http = StatusHttp::Start(
      {.status = [&] { return Status(ready.load()); },
       .metrics =
           [&] {
             return metrics.Render(
                 {.status = Status(ready.load()),
                  .store_bytes = 4096,
                  .now = kNow,
                  .high_watermarks = {{{"complaints.intake.v1", 4}, 80}},
                  .recorded = {{"received", 1000}, {"deadline_breached", 7}},
                  .decisions = {{{"assigned", "route-lift"}, 5}},
                  .published_by_topic = {{"complaints.intake.v1", 41}},
                  .consumed_by_topic = {{"complaints.dispatch.v1", 1200}},
                  .store_health = {.stall_slowdowns = 2,
                                   .stall_stops = 1,
                                   .write_stopped = true,
                                   .delayed_write_rate = 1024,
                                   .pending_compaction_bytes = 65536,
                                   .block_cache_bytes = 3000,
                                   .block_cache_capacity = 32 << 20},
                  .scheduled = {{.kind = "timer", .due = 12, .lag = absl::Seconds(30)}}});
           }});
  ASSERT_TRUE(http.ok()) << http.status();
  httplib::Client client("127.0.0.1", (*http)->port());

  EXPECT_EQ(client.Get("/healthz")->status, 200);
  httplib::Result not_ready = client.Get("/readyz");
  EXPECT_EQ(not_ready->status, 503);
  EXPECT_THAT(not_ready->body, HasSubstr("the consumer holds no partitions yet"));
  ready.store(true);
  EXPECT_EQ(client.Get("/readyz")->status, 200);

  httplib::Result scraped = client.Get("/metrics");
  ASSERT_TRUE(scraped);
  EXPECT_THAT(scraped->get_header_value("Content-Type"), HasSubstr("text/plain; version=0.0.4"));
  const std::string& text = scraped->body;
  for (
      const char* line : {
          R"(complaints_grpc_server_handled_total{service="intake",code="OK",method="SubmitComplaint"} 2)",
          R"(complaints_grpc_server_handled_total{service="intake",code="INVALID_ARGUMENT",method="SubmitComplaint"} 1)",
          R"(complaints_grpc_server_handling_seconds_count{service="intake",method="SubmitComplaint"} 3)",
          R"(complaints_grpc_server_handling_seconds_bucket{service="intake",method="SubmitComplaint",le="0.005"} 2)",
          R"(complaints_build_info{service="intake",revision="abc123",version="1.2.3"} 1)",
          R"(complaints_ready{service="intake"} 1)",
          R"(complaints_outbox_depth{service="intake"} 3)",
          R"(complaints_outbox_oldest_age_seconds{service="intake"} 90)",
          R"(complaints_events_published_total{service="intake",topic="complaints.intake.v1"} 41)",
          R"(complaints_events_consumed_total{service="intake",topic="complaints.dispatch.v1"} 1200)",
          R"(complaints_decisions_total{service="intake",payload="assigned",rule="route-lift"} 5)",
          R"(complaints_scheduled_due{service="intake",kind="timer"} 12)",
          R"(complaints_scheduled_lag_seconds{service="intake",kind="timer"} 30)",
          R"(complaints_store_write_stalls_total{service="intake",kind="slowdown"} 2)",
          R"(complaints_store_write_stalls_total{service="intake",kind="stop"} 1)",
          R"(complaints_store_write_stopped{service="intake"} 1)",
          R"(complaints_store_delayed_write_rate_bytes{service="intake"} 1024)",
          R"(complaints_store_pending_compaction_bytes{service="intake"} 65536)",
          R"(complaints_store_memory_bytes{service="intake",kind="block_cache"} 3000)",
          R"(complaints_store_memory_bytes{service="intake",kind="block_cache_capacity"} 33554432)",
          R"(complaints_events_applied_total{service="intake"} 1200)",
          R"(complaints_consumer_next_offset{service="intake",topic="complaints.intake.v1",partition="4"} 77)",
          R"(complaints_consumer_lag{service="intake",topic="complaints.intake.v1",partition="4"} 3)",
          R"(complaints_dead_letters{service="intake"} 2)",
          R"(complaints_events_recorded_total{service="intake",payload="deadline_breached"} 7)",
          R"(complaints_dead_letters_by_kind{service="intake",kind="unparseable"} 2)",
          R"(complaints_store_bytes{service="intake"} 4096)",
          "# TYPE complaints_grpc_server_handling_seconds histogram",
      }) {
    EXPECT_THAT(text, HasSubstr(line));
  }
  EXPECT_EQ(client.Get("/other")->status, 404);
}

TEST(StatusHttp, AddressesAreHostAndPort) {
  EXPECT_EQ(*SplitHostPort("--status_listen", "0.0.0.0:9090"),
            std::make_pair(std::string("0.0.0.0"), 9090));
  EXPECT_THAT(SplitHostPort("--status_listen", "9090").status().message(),
              HasSubstr("--status_listen: host:port"));
  EXPECT_FALSE(SplitHostPort("--status_listen", "host:99999").ok());
  EXPECT_FALSE(SplitHostPort("--status_listen", ":80").ok());
}

}  // namespace
}  // namespace complaints
