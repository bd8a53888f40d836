// Partitions and projection keys. (The broker test checks that a real
// producer puts each complaint where PartitionOf says.)
#include "libs/runner/partitioning.h"

#include "gtest/gtest.h"

namespace complaints {
namespace {

TEST(Partitioning, PartitionOfIsKafkasMurmur2) {
  // Values from Kafka's own tests of Utils.murmur2, mapped as its default
  // partitioner does: (hash & 0x7fffffff) % partitions.
  const std::pair<const char*, int32_t> cases[] = {
      {"21", -973932308},
      {"foobar", -790332482},
      {"a-little-bit-long-string", -985981536},
      {"a-little-bit-longer-string", -1486304829},
      {"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971},
      {"abc", 479470107},
  };
  for (const auto& [key, hash] : cases) {
    const auto positive = static_cast<uint32_t>(hash) & 0x7fffffffu;
    EXPECT_EQ(PartitionOf(key, 1000003), static_cast<int32_t>(positive % 1000003u)) << key;
    EXPECT_EQ(PartitionOf(key, 6), static_cast<int32_t>(positive % 6u)) << key;
  }
}

TEST(Partitioning, ComplaintKeysSortByPartitionThenId) {
  const std::string key = ComplaintKey("C20261126-7F3A9C21D4E5B601", 6);
  int32_t partition = -1;
  absl::string_view rest;
  ASSERT_TRUE(SplitPartitionKey(key, &partition, &rest));
  EXPECT_EQ(partition, PartitionOf("C20261126-7F3A9C21D4E5B601", 6));
  EXPECT_EQ(rest, "C20261126-7F3A9C21D4E5B601");
  EXPECT_LT(PartitionPrefix(1), PartitionPrefix(2));
  EXPECT_LT(PartitionPrefix(255) + "zzz", PartitionPrefix(256));
  EXPECT_FALSE(SplitPartitionKey("x", &partition, &rest));
}

}  // namespace
}  // namespace complaints
