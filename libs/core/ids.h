#pragma once
// Ids. Complaint ids come from an injected IdGenerator; event ids are derived,
// never random, so a re-published or re-processed event keeps its id.
// All functions and RandomIdGenerator are thread-safe.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "complaints/v1/events.pb.h"

namespace complaints {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new complaint id, e.g. "C20261126-7F3A9C21D4E5B601": the day of `now`
  // in the centre's time zone, then 64 bits. Never repeats.
  virtual std::string NewComplaintId(absl::Time now) = 0;
};

// 64 random bits from a seeded engine; pass a fixed seed for reproducible runs.
class RandomIdGenerator final : public IdGenerator {
 public:
  // `zone` is the centre's: an id is dated the day its complaint is counted on.
  explicit RandomIdGenerator(uint64_t seed, absl::TimeZone zone = absl::UTCTimeZone());
  static std::unique_ptr<RandomIdGenerator> FromEntropy(absl::TimeZone zone);
  std::string NewComplaintId(absl::Time now) override;

 private:
  const absl::TimeZone zone_;
  absl::Mutex mu_;
  uint64_t state_ ABSL_GUARDED_BY(mu_);
};

// "<complaint>/<writer>/<sequence>": unique because each writer numbers a
// complaint's events 1, 2, 3… and deterministic because that numbering is.
std::string EventId(absl::string_view complaint_id, v1::Writer writer, int64_t sequence);

absl::string_view WriterName(v1::Writer writer);

// A stable 64-bit FNV-1a hash (unlike std::hash, the same in every process).
uint64_t StableHash(absl::string_view bytes);

}  // namespace complaints
