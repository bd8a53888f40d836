#pragma once
// §3.1 the incident detector's background rates, kept across units of work.
// A rate is read from 4 weeks of daily counts (kBaselineDays × partitions
// point reads), the same for every complaint of that place, category and
// day; reading it once per unit made the reads most of analytics' cost.
// A unit that changes a day's count for a place and category drops every
// rate whose 4 weeks include that day when it ends, so a rate found here is
// always the one the store holds for units that begin afterwards. Bounded:
// past its bound (kMaxRates) it starts again empty. Thread-safe.

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"

namespace complaints::analytics {

inline constexpr int kBaselineDays = 28;

class BaselineCache {
 public:
  static constexpr size_t kMaxRates = 200'000;
  explicit BaselineCache(size_t max_rates = kMaxRates) : max_rates_(max_rates) {}

  static std::string Key(absl::string_view place, absl::string_view category, absl::CivilDay day);

  std::optional<double> Find(const std::string& key) const;
  void Put(const std::string& key, double rate);
  // Drops the rates of the days whose 4 weeks before include `day`.
  void Changed(absl::string_view place, absl::string_view category, absl::CivilDay day);

 private:
  const size_t max_rates_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, double> rates_ ABSL_GUARDED_BY(mu_);
};

}  // namespace complaints::analytics
