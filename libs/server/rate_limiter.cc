#include "libs/server/rate_limiter.h"

#include <algorithm>

namespace complaints {

RateLimiter::RateLimiter(RateLimit limit, const Clock* clock, size_t max_clients)
    : limit_(limit), clock_(clock), max_clients_(max_clients) {}

bool RateLimiter::Allow(absl::string_view client) {
  if (limit_.per_second <= 0) return true;
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) Forget(now);
    if (buckets_.size() >= max_clients_)
      return false;  // every tracked client is busy: refuse newcomers
    it = buckets_.emplace(std::string(client), Bucket{limit_.burst, now}).first;
  }
  Bucket& bucket = it->second;
  bucket.tokens =
      std::min(limit_.burst,
               bucket.tokens + absl::ToDoubleSeconds(now - bucket.updated) * limit_.per_second);
  bucket.updated = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

void RateLimiter::Forget(absl::Time now) {
  // A bucket that would be full again holds nothing worth remembering.
  const absl::Duration refill = absl::Seconds(limit_.burst / limit_.per_second);
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (now - it->second.updated >= refill) {
      buckets_.erase(it++);
    } else {
      ++it;
    }
  }
}

}  // namespace complaints
