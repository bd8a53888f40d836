#include "libs/core/ids.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace complaints {
namespace {

// splitmix64: a full-period mixer, so consecutive states give unrelated ids.
uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

RandomIdGenerator::RandomIdGenerator(uint64_t seed, absl::TimeZone zone)
    : zone_(zone), state_(seed) {}

std::unique_ptr<RandomIdGenerator> RandomIdGenerator::FromEntropy(absl::TimeZone zone) {
  std::random_device device;
  uint64_t seed = (static_cast<uint64_t>(device()) << 32) ^ device();
  return std::make_unique<RandomIdGenerator>(seed, zone);
}

std::string RandomIdGenerator::NewComplaintId(absl::Time now) {
  uint64_t bits;
  {
    absl::MutexLock lock(&mu_);
    bits = SplitMix64(state_);
  }
  return absl::StrFormat("C%s-%016X", absl::FormatTime("%Y%m%d", now, zone_), bits);
}

absl::string_view WriterName(v1::Writer writer) {
  switch (writer) {
    case v1::WRITER_INTAKE:
      return "intake";
    case v1::WRITER_DISPATCH:
      return "dispatch";
    case v1::WRITER_TRACKING:
      return "tracking";
    case v1::WRITER_ANALYTICS:
      return "analytics";
    default:
      return "unknown";
  }
}

std::string EventId(absl::string_view complaint_id, v1::Writer writer, int64_t sequence) {
  return absl::StrCat(complaint_id, "/", WriterName(writer), "/", sequence);
}

uint64_t StableHash(absl::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

}  // namespace complaints
