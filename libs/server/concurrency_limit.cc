#include "libs/server/concurrency_limit.h"

#include "absl/strings/str_cat.h"

namespace complaints {

ConcurrencyLimit::ConcurrencyLimit(std::string what, int max_total, int max_per_identity)
    : what_(std::move(what)), max_total_(max_total), max_per_identity_(max_per_identity) {}

absl::Status ConcurrencyLimit::Acquire(const std::string& identity) {
  absl::MutexLock lock(&mu_);
  if (total_ >= max_total_) {
    return absl::ResourceExhaustedError(absl::StrCat(
        what_, ": ", max_total_, " are open already on this service (its limit); retry later"));
  }
  int& mine = by_identity_[identity];
  if (mine >= max_per_identity_) {
    return absl::ResourceExhaustedError(absl::StrCat(what_, ": ", identity, " has ", mine,
                                                     " open already (the limit per caller); close "
                                                     "one or retry later"));
  }
  ++mine;
  ++total_;
  return absl::OkStatus();
}

void ConcurrencyLimit::Release(const std::string& identity) {
  absl::MutexLock lock(&mu_);
  auto it = by_identity_.find(identity);
  if (it == by_identity_.end()) return;
  if (--it->second <= 0) by_identity_.erase(it);
  --total_;
}

int ConcurrencyLimit::in_use() const {
  absl::MutexLock lock(&mu_);
  return total_;
}

}  // namespace complaints
