#include "libs/runner/test_records.h"

#include <filesystem>
#include <fstream>
#include <map>

#include "absl/strings/escaping.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "libs/runner/outbox.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/topics.h"

namespace complaints::testing {

WriterKeyring TestWriterKeys() {
  WriterKeyring ring;
  uint8_t seed = 1;
  for (v1::Writer writer :
       {v1::WRITER_INTAKE, v1::WRITER_DISPATCH, v1::WRITER_TRACKING, v1::WRITER_ANALYTICS}) {
    std::string bytes(kKeyBytes, static_cast<char>(seed++));
    ring.keys[writer].push_back(
        {"test-" + WriterFileName(writer) + "-1", *SecretKey::FromBytes(bytes)});
  }
  return ring;
}

void WriteTestWriterKeys(const std::string& dir) {
  std::filesystem::create_directories(dir);
  for (const auto& [writer, keys] : TestWriterKeys().keys) {
    std::ofstream file(dir + "/" + WriterFileName(writer) + ".keys", std::ios::trunc);
    for (const NamedKey& key : keys) {
      file << key.id << " " << absl::BytesToHexString(key.key.bytes()) << "\n";
    }
  }
}

std::shared_ptr<const RecordAuthority> TestAuthority(v1::Writer self) {
  static auto* made = new std::map<v1::Writer, std::shared_ptr<const RecordAuthority>>();
  static absl::Mutex mu;
  absl::MutexLock lock(&mu);
  std::shared_ptr<const RecordAuthority>& authority = (*made)[self];
  if (authority == nullptr) authority = *RecordAuthority::Create(self, TestWriterKeys());
  return authority;
}

std::string Unsigned(absl::string_view payload) {
  const std::optional<SignedRecord> split = SplitSigned(payload);
  return std::string(split.has_value() ? split->body : payload);
}

std::string SignedFor(absl::string_view topic, absl::string_view key, absl::string_view payload) {
  return TestAuthority(OwnerOfTopic(topic))->Sign(topic, key, payload);
}

ConsumedRecord ConsumedOf(absl::string_view topic, const v1::Envelope& event, int64_t offset,
                          int partitions) {
  return {std::string(topic), PartitionOf(event.complaint_id(), partitions), offset,
          event.complaint_id(), SignedFor(topic, event.complaint_id(), event.SerializeAsString())};
}

std::vector<v1::Envelope> Outboxed(const Store& store) {
  std::vector<v1::Envelope> events;
  const absl::Status scanned = store.Scan(
      Family::kOutbox, "", "", SIZE_MAX, [&](absl::string_view, absl::string_view value) {
        absl::StatusOr<OutboxRecord> record = Outbox::DecodeValue(value);
        if (record.ok() &&
            (record->topic == topics::kEvidence || record->topic == topics::kNotifications ||
             record->topic == topics::kKeys)) {
          return true;  // not events
        }
        v1::Envelope event;
        EXPECT_TRUE(record.ok() && event.ParseFromString(record->payload)) << "unreadable entry";
        events.push_back(std::move(event));
        return true;
      });
  EXPECT_TRUE(scanned.ok()) << scanned;
  return events;
}

}  // namespace complaints::testing
