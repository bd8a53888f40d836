// A rebuild is exact and silent (docs/architecture.md invariant 7): for each service,
// delete its state and restart it; it must rebuild from the topics
// alone to the same RocksDB content, byte for byte, and publish nothing (every
// topic ends where it ended before). The services replay through the fast
// path (--replay_lag=1: every input topic read to its end, one after another
// in the pipeline's order, before the group is joined), so no record has to
// wait for its complaint's receipt.
#include <cstdio>
#include <filesystem>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/runner/records.h"
#include "libs/runner/topics.h"
#include "tests/scenario.h"
#include "tests/store_compare.h"

namespace complaints::testing {
namespace {

constexpr int kComplaints = 150;

v1::ConsumerStatus ConsumerOf(Cluster& cluster, Service service) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(5)));
  v1::GetStatusResponse status;
  EXPECT_TRUE(cluster.admin(service).GetStatus(&context, {}, &status).ok());
  return status.consumer();
}

TEST(Rebuild, DeletedStateRebuildsExactlyAndPublishesNothing) {
  Cluster cluster({"--replay_lag=1"});
  ASSERT_TRUE(cluster.Start());
  Nyc311Complaints data;
  const absl::Time now = complaints::WallNow();
  std::vector<std::string> ids;
  const v1::SubmitComplaintRequest first = data.Valid(0, "rebuild", now);
  for (int i = 0; i < kComplaints; ++i) {
    Submitted submitted = Submit(cluster.intake(), i == 0 ? first : data.Valid(i, "rebuild", now));
    ASSERT_TRUE(submitted.status.ok()) << submitted.status.error_message();
    ids.push_back(submitted.response.complaint_id());
  }
  ASSERT_TRUE(WaitUntilComplete(cluster, ids, absl::Seconds(60)).empty());
  ASSERT_TRUE(WaitUntilCounted(cluster, kComplaints, absl::Seconds(60)));
  // Evidence: its bytes live on intake's evidence topic, one file over
  // several records.
  struct File {
    std::string complaint_id, sha256, bytes;
  };
  std::vector<File> files;
  for (int i = 0; i < 3; ++i) {
    File& file =
        files.emplace_back(File{ids[i], "", PhotoBytes(i == 0 ? 500 * 1024 : 20 * 1024, i)});
    v1::AttachEvidenceResponse answer;
    const grpc::Status attached = AttachEvidence(cluster.intake(), ids[i], absl::StrCat("ev-", i),
                                                 "photo.jpg", file.bytes, &answer);
    ASSERT_TRUE(attached.ok()) << attached.error_message();
    file.sha256 = answer.attachment().sha256();
  }
  // Everything decided is in Kafka: every outbox is empty.
  ASSERT_TRUE(Eventually([&] { return OutboxesEmpty(cluster); }, absl::Seconds(30)));
  const Offsets ends = EndOffsets(cluster);
  int64_t tracking_events = 0;
  for (int partition = 0; partition < topics::kDefaultPartitions; ++partition) {
    tracking_events += ends.at(OffsetKey(topics::kTracking, partition));
  }
  EXPECT_EQ(tracking_events, 2 * kComplaints)
      << "one DeadlinesSet and one ReceiverNotified per complaint";

  for (Service service : kServices) {
    const std::string name = NameOf(service);
    const std::string folder = cluster.dir() + "/" + name;
    const std::map<std::string, std::string> before = StopAndLoseStore(cluster, service, ends);
    ASSERT_GT(before.size(), static_cast<size_t>(kComplaints)) << name;

    const absl::Time started = complaints::WallNow();
    ASSERT_TRUE(cluster.StartService(service)) << name;
    ASSERT_TRUE(Eventually([&] { return CaughtUp(cluster, service, ends); }, absl::Seconds(60)))
        << name;
    const absl::Duration took = complaints::WallNow() - started;
    const v1::ConsumerStatus consumer = ConsumerOf(cluster, service);
    EXPECT_GT(consumer.replayed_records(), 0u) << name << " took the replay fast path";
    EXPECT_EQ(consumer.parked_since_start(), 0u)
        << name << ": in the pipeline's order, nothing waits for its predecessor";
    ASSERT_TRUE(cluster.StopService(service)) << name;
    const std::map<std::string, std::string> after = Dump(folder + "/rocksdb");
    const int differences = Differences(before, after, name);
    EXPECT_EQ(differences, 0) << name;
    ASSERT_TRUE(cluster.StartService(service)) << name;
    if (service == Service::kIntake) {
      const Submitted again = SubmitWhenServing(cluster.intake(), first, absl::Seconds(30));
      ASSERT_TRUE(again.status.ok()) << again.status.error_message();
      EXPECT_TRUE(again.response.duplicate()) << "the rebuilt intake knows the key";
      EXPECT_EQ(again.response.complaint_id(), ids[0]);
      for (const File& file : files) {
        std::string fetched;
        const grpc::Status got =
            FetchEvidence(cluster.intake("staff/qian"), file.complaint_id, file.sha256, &fetched);
        EXPECT_TRUE(got.ok()) << got.error_message();
        EXPECT_TRUE(fetched == file.bytes) << file.complaint_id << ": the rebuilt intake serves it";
      }
    }
    std::printf(
        "[figures] rebuild: %s rebuilt %zu entries from the topics in %.2f s, identical: %s\n",
        name.c_str(), after.size(), absl::ToDoubleSeconds(took), differences == 0 ? "yes" : "no");
  }
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(EndOffsets(cluster), ends) << "a rebuild publishes nothing";
}

}  // namespace
}  // namespace complaints::testing
