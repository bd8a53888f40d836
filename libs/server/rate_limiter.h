#pragma once
// Per-client token buckets, so one noisy client cannot fill the outbox for
// everyone. A client is the identity its certificate proves.
// The number of clients tracked is bounded: full buckets are forgotten first.
// Thread-safe.

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/core/clock.h"

namespace complaints {

struct RateLimit {
  double per_second = 1000;  // 0 turns limiting off
  double burst = 2000;
};

class RateLimiter {
 public:
  // `clock` must outlive the limiter.
  RateLimiter(RateLimit limit, const Clock* clock, size_t max_clients = 10'000);

  // True when `client` may make one more call now (and takes a token).
  bool Allow(absl::string_view client);

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  void Forget(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const RateLimit limit_;
  const Clock* clock_;
  const size_t max_clients_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace complaints
