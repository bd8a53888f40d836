#include "libs/runner/test_records.h"

#include "gtest/gtest.h"
#include "libs/runner/outbox.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/topics.h"

namespace complaints::testing {

ConsumedRecord ConsumedOf(absl::string_view topic, const v1::Envelope& event, int64_t offset,
                          int partitions) {
  return {std::string(topic), PartitionOf(event.complaint_id(), partitions), offset,
          event.complaint_id(), event.SerializeAsString()};
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
