#pragma once
// How many long calls of one kind (server streams, uploads) run at once: in
// all, and per caller identity, so that one caller cannot take the places
// everyone else needs. Thread-safe.

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace complaints {

class ConcurrencyLimit {
 public:
  // `what` names the calls in refusals ("streams", "uploads").
  ConcurrencyLimit(std::string what, int max_total, int max_per_identity);

  // Takes a place for `identity`. RESOURCE_EXHAUSTED naming the limit that
  // was reached (the service's or the identity's); nothing is taken then.
  absl::Status Acquire(const std::string& identity);
  // Gives back a place Acquire took.
  void Release(const std::string& identity);

  int in_use() const;
  int max_total() const { return max_total_; }
  int max_per_identity() const { return max_per_identity_; }

 private:
  const std::string what_;
  const int max_total_;
  const int max_per_identity_;
  mutable absl::Mutex mu_;
  int total_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, int> by_identity_ ABSL_GUARDED_BY(mu_);
};

}  // namespace complaints
