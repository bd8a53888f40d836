#include "libs/runner/partitioning.h"

#include "absl/strings/str_cat.h"

namespace complaints {
namespace {

// Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2).
uint32_t Murmur2(absl::string_view data) {
  constexpr uint32_t kSeed = 0x9747b28c;
  constexpr uint32_t kM = 0x5bd1e995;
  constexpr int kR = 24;
  const size_t length = data.size();
  uint32_t h = kSeed ^ static_cast<uint32_t>(length);
  const auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(data[i])); };
  const size_t words = length / 4;
  for (size_t i = 0; i < words; ++i) {
    const size_t at = i * 4;
    uint32_t k = byte(at) | (byte(at + 1) << 8) | (byte(at + 2) << 16) | (byte(at + 3) << 24);
    k *= kM;
    k ^= k >> kR;
    k *= kM;
    h *= kM;
    h ^= k;
  }
  const size_t tail = length & ~static_cast<size_t>(3);
  switch (length % 4) {
    case 3:
      h ^= byte(tail + 2) << 16;
      [[fallthrough]];
    case 2:
      h ^= byte(tail + 1) << 8;
      [[fallthrough]];
    case 1:
      h ^= byte(tail);
      h *= kM;
  }
  h ^= h >> 13;
  h *= kM;
  h ^= h >> 15;
  return h;
}

}  // namespace

int32_t PartitionOf(absl::string_view key, int partitions) {
  return static_cast<int32_t>((Murmur2(key) & 0x7fffffff) % static_cast<uint32_t>(partitions));
}

std::string PartitionPrefix(int32_t partition) {
  const auto value = static_cast<uint16_t>(partition);
  return std::string{static_cast<char>(value >> 8), static_cast<char>(value & 0xFF)};
}

std::string ComplaintKey(absl::string_view complaint_id, int partitions) {
  return absl::StrCat(PartitionPrefix(PartitionOf(complaint_id, partitions)), complaint_id);
}

bool SplitPartitionKey(absl::string_view key, int32_t* partition, absl::string_view* rest) {
  if (key.size() < kPartitionPrefixBytes) return false;
  *partition = (static_cast<uint8_t>(key[0]) << 8) | static_cast<uint8_t>(key[1]);
  *rest = key.substr(kPartitionPrefixBytes);
  return true;
}

}  // namespace complaints
