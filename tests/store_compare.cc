#include "tests/store_compare.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/eventlog/kafka_config.h"
#include "libs/runner/records.h"
#include "libs/runner/topics.h"
#include "libs/store/store.h"

namespace complaints::testing {
namespace {
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

}  // namespace

std::vector<absl::string_view> ConsumedTopics(Service service) {
  if (service == Service::kIntake) {
    return {topics::kIntake, topics::kEvidence, topics::kKeys, topics::kDispatch};
  }
  return {topics::kIntake, topics::kDispatch, topics::kTracking, topics::kAnalytics};
}

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

bool OutboxesEmpty(Cluster& cluster) {
  for (Service service : kServices) {
    grpc::ClientContext context;
    v1::GetStatusResponse status;
    if (!cluster.admin(service).GetStatus(&context, {}, &status).ok() ||
        status.relay().outbox_depth() > 0) {
      return false;
    }
  }
  return true;
}

bool CaughtUp(Cluster& cluster, Service service, const Offsets& ends) {
  grpc::ClientContext context;
  v1::GetStatusResponse status;
  if (!cluster.admin(service).GetStatus(&context, {}, &status).ok()) return false;
  std::map<std::string, int64_t> stored;
  for (const v1::PartitionStatus& partition : status.consumer().partitions()) {
    stored[OffsetKey(partition.topic(), partition.partition())] = partition.next_offset();
  }
  for (absl::string_view topic : ConsumedTopics(service)) {
    for (int partition = 0; partition < topics::kDefaultPartitions; ++partition) {
      const int64_t end = ends.at(OffsetKey(topic, partition));
      auto it = stored.find(OffsetKey(topic, partition));
      if (end > 0 && (it == stored.end() || it->second < end)) return false;
    }
  }
  return status.relay().outbox_depth() == 0;
}

std::map<std::string, std::string> Dump(const std::string& path) {
  std::map<std::string, std::string> entries;
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return entries;
  // Every family on disk is opened, whichever service declared it.
  for (const Family& family : (*store)->families()) {
    const std::string name = family.name();
    EXPECT_TRUE(
        (*store)
            ->Scan(family, "", "", SIZE_MAX,
                   [&](absl::string_view key, absl::string_view value) {
                     if (name != "feed") {
                       entries[absl::StrCat(name, "/", key)] = std::string(value);
                     } else if (!key.empty() && key[0] != '\x01') {
                       const size_t department = key.find('\0');
                       entries[absl::StrCat(name, "/", key.substr(0, department), "/", value)] =
                           "1";
                     }
                     return true;
                   })
            .ok());
  }
  return entries;
}

std::map<std::string, std::string> StopAndLoseStore(Cluster& cluster, Service service,
                                                    const Offsets& ends) {
  const std::string name = NameOf(service);
  if (!Eventually([&] { return CaughtUp(cluster, service, ends); }, absl::Seconds(30))) {
    ADD_FAILURE() << name << " did not catch up";
    return {};
  }
  if (!cluster.StopService(service)) {
    ADD_FAILURE() << name << " did not stop cleanly";
    return {};
  }
  const std::string folder = cluster.dir() + "/" + name;
  std::map<std::string, std::string> entries = Dump(folder + "/rocksdb");
  std::filesystem::remove_all(folder);
  return entries;
}

int Differences(const std::map<std::string, std::string>& before,
                const std::map<std::string, std::string>& after, const std::string& name) {
  EXPECT_EQ(after.size(), before.size()) << name;
  int differences = 0;
  for (const auto& [key, value] : before) {
    auto it = after.find(key);
    if (it == after.end() || it->second != value) {
      if (++differences <= 3) ADD_FAILURE() << name << ": entry " << EscapedKey(key) << " differs";
    }
  }
  return differences;
}

}  // namespace complaints::testing
