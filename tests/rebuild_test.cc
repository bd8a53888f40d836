// A rebuild is exact and silent (DESIGN.md invariant 7): for each service,
// delete its state and restart it; it must rebuild from the topics
// alone to the same RocksDB content, byte for byte, and publish nothing (every
// topic ends where it ended before).
#include <cstdio>
#include <filesystem>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "libs/eventlog/kafka_config.h"
#include "libs/runner/records.h"
#include "libs/runner/topics.h"
#include "libs/store/store.h"
#include "tests/scenario.h"

namespace complaints::testing {
namespace {

constexpr int kComplaints = 150;

using Offsets = std::map<std::string, int64_t>;  // "topic/partition" -> end offset

Offsets EndOffsets(Cluster& cluster) {
  Offsets ends;
  auto conf = MakeKafkaConf(cluster.broker().Client("admin", "rebuild-test"),
                            {{"group.id", "rebuild-test"}});
  std::string error;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf->get(), error));
  for (absl::string_view topic : topics::kAll) {
    for (int partition = 0; partition < topics::kDefaultPartitions; ++partition) {
      int64_t low = 0, high = -1;
      consumer->query_watermark_offsets(std::string(topic), partition, &low, &high, 10'000);
      ends[OffsetKey(topic, partition)] = high;
    }
  }
  consumer->close();
  return ends;
}

// The topics each consuming service reads (its inputs and its own topic).
std::vector<absl::string_view> TopicsOf(Service service) {
  if (service == Service::kIntake) return {topics::kIntake, topics::kEvidence, topics::kDispatch};
  return {topics::kIntake, topics::kDispatch, topics::kTracking, topics::kAnalytics};
}

// True once the service has stored the end offset of every partition it reads.
bool CaughtUp(Cluster& cluster, Service service, const Offsets& ends) {
  grpc::ClientContext context;
  v1::GetStatusResponse status;
  if (!cluster.admin(service).GetStatus(&context, {}, &status).ok()) return false;
  std::map<std::string, int64_t> stored;
  for (const v1::PartitionStatus& partition : status.consumer().partitions()) {
    stored[OffsetKey(partition.topic(), partition.partition())] = partition.next_offset();
  }
  for (absl::string_view topic : TopicsOf(service)) {
    for (int partition = 0; partition < topics::kDefaultPartitions; ++partition) {
      const int64_t end = ends.at(OffsetKey(topic, partition));
      auto it = stored.find(OffsetKey(topic, partition));
      if (end > 0 && (it == stored.end() || it->second < end)) return false;
    }
  }
  return status.relay().outbox_depth() == 0;
}

std::string EscapedKey(absl::string_view key) {
  std::string out;
  for (unsigned char c : key) {
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, "\\x", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

// Every entry of every column family, as "family/key" -> value. Dispatch's
// assignment feed is numbered in the order a service applied the topics,
// which a rebuild need not repeat: its changes are compared as a set
// ("family/change" -> "1"), without the feed's epoch and sequence.
std::map<std::string, std::string> Dump(const std::string& path) {
  std::map<std::string, std::string> entries;
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return entries;
  for (int family = 0; family < kFamilyCount; ++family) {
    EXPECT_TRUE(
        (*store)
            ->Scan(static_cast<Family>(family), "", "", SIZE_MAX,
                   [&](absl::string_view key, absl::string_view value) {
                     if (static_cast<Family>(family) != Family::kFeed) {
                       entries[absl::StrCat(family, "/", key)] = std::string(value);
                     } else if (!key.empty() && key[0] != '\x01') {
                       const size_t department = key.find('\0');
                       entries[absl::StrCat(family, "/", key.substr(0, department), "/", value)] =
                           "1";
                     }
                     return true;
                   })
            .ok());
  }
  return entries;
}

TEST(Rebuild, DeletedStateRebuildsExactlyAndPublishesNothing) {
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  Nyc311Complaints data;
  const absl::Time now = absl::Now();
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
  ASSERT_TRUE(Eventually(
      [&] {
        for (Service service : kServices) {
          grpc::ClientContext context;
          v1::GetStatusResponse status;
          if (!cluster.admin(service).GetStatus(&context, {}, &status).ok() ||
              status.relay().outbox_depth() > 0) {
            return false;
          }
        }
        return true;
      },
      absl::Seconds(30)));
  const Offsets ends = EndOffsets(cluster);
  int64_t tracking_events = 0;
  for (int partition = 0; partition < topics::kDefaultPartitions; ++partition) {
    tracking_events += ends.at(OffsetKey(topics::kTracking, partition));
  }
  EXPECT_EQ(tracking_events, 2 * kComplaints)
      << "one DeadlinesSet and one ReceiverNotified per complaint";

  for (Service service : kServices) {
    const std::string name = NameOf(service);
    ASSERT_TRUE(Eventually([&] { return CaughtUp(cluster, service, ends); }, absl::Seconds(30)))
        << name;
    ASSERT_TRUE(cluster.StopService(service)) << name;
    const std::string folder = cluster.dir() + "/" + name;
    const std::map<std::string, std::string> before = Dump(folder + "/rocksdb");
    ASSERT_GT(before.size(), static_cast<size_t>(kComplaints)) << name;
    std::filesystem::remove_all(folder);

    const absl::Time started = absl::Now();
    ASSERT_TRUE(cluster.StartService(service)) << name;
    ASSERT_TRUE(Eventually([&] { return CaughtUp(cluster, service, ends); }, absl::Seconds(60)))
        << name;
    const absl::Duration took = absl::Now() - started;
    ASSERT_TRUE(cluster.StopService(service)) << name;
    const std::map<std::string, std::string> after = Dump(folder + "/rocksdb");
    EXPECT_EQ(after.size(), before.size()) << name;
    int differences = 0;
    for (const auto& [key, value] : before) {
      auto it = after.find(key);
      if (it == after.end() || it->second != value) {
        if (++differences <= 3)
          ADD_FAILURE() << name << ": entry " << EscapedKey(key) << " differs after the rebuild";
      }
    }
    EXPECT_EQ(differences, 0) << name;
    ASSERT_TRUE(cluster.StartService(service)) << name;
    if (service == Service::kIntake) {
      Submitted again;
      ASSERT_TRUE(Eventually(
          [&] {
            again = Submit(cluster.intake(), first);
            return again.status.error_code() != grpc::StatusCode::UNAVAILABLE;
          },
          absl::Seconds(30)));
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
