#include "services/analytics/app/baseline_cache.h"

#include "absl/strings/str_cat.h"

namespace complaints::analytics {

std::string BaselineCache::Key(absl::string_view place, absl::string_view category,
                               absl::CivilDay day) {
  return absl::StrCat(place, "\x1f", category, "\x1f", absl::FormatCivilTime(day));
}

std::optional<double> BaselineCache::Find(const std::string& key) const {
  absl::MutexLock lock(&mu_);
  auto it = rates_.find(key);
  if (it == rates_.end()) return std::nullopt;
  return it->second;
}

void BaselineCache::Put(const std::string& key, double rate) {
  absl::MutexLock lock(&mu_);
  if (rates_.size() >= max_rates_) rates_.clear();
  rates_[key] = rate;
}

void BaselineCache::Changed(absl::string_view place, absl::string_view category,
                            absl::CivilDay day) {
  absl::MutexLock lock(&mu_);
  if (rates_.empty()) return;
  for (absl::CivilDay d = day + 1; d <= day + kBaselineDays; ++d) {
    rates_.erase(Key(place, category, d));
  }
}

}  // namespace complaints::analytics
