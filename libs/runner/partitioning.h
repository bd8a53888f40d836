#pragma once
// Where a complaint's records and state live. Every topic is keyed by
// complaint id and partitioned by Kafka's default partitioner for keyed
// records (murmur2, as the Java client and librdkafka's murmur2_random), so a
// complaint's events are on the same partition of every topic. Every
// projection key starts with that partition (two bytes, big-endian), so one
// partition's state can be dropped and rebuilt by replaying that partition
// alone — what scaling out by partition needs. Pure.

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace complaints {

// The partition Kafka's default partitioner gives `key` among `partitions`.
int32_t PartitionOf(absl::string_view key, int partitions);

inline constexpr size_t kPartitionPrefixBytes = 2;

std::string PartitionPrefix(int32_t partition);

// PartitionPrefix(PartitionOf(complaint_id, partitions)) + complaint_id.
std::string ComplaintKey(absl::string_view complaint_id, int partitions);

// The partition a projection key starts with, and the rest of the key; false
// for a key too short to have one.
bool SplitPartitionKey(absl::string_view key, int32_t* partition, absl::string_view* rest);

}  // namespace complaints
