#pragma once
// The assignment feed as dispatch keeps it (store family kFeed): per
// department, the changes (domain/assignment_changes) in the order dispatch
// recorded them, numbered by a sequence of the store's own. A cursor is
// "<epoch>.<sequence>", the epoch naming the store's creation, so a cursor
// from before a rebuild (which may number the changes in another order) is
// recognised. Thread-safe; Stage needs one writer at a time (the WriteGate).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "complaints/v1/dispatch.pb.h"
#include "libs/core/clock.h"
#include "libs/store/store.h"

namespace complaints::dispatch {

class AssignmentFeed {
 public:
  // `store` and `clock` (which dates the epoch of a new feed) must outlive it.
  AssignmentFeed(Store* store, const Clock* clock) : store_(store), clock_(clock) {}

  // Numbers `changes` and stages them in `batch`.
  absl::Status Stage(Batch& batch, const std::vector<v1::AssignmentChange>& changes);

  struct Page {
    std::vector<v1::WatchAssignmentsResponse> changes;
    std::string cursor;  // after the last change looked at (matching or not)
  };
  // The changes of `department` (and `handler`, when not empty) after
  // `cursor` (empty: from the first), looking at `max_scanned` at most.
  // FAILED_PRECONDITION for a cursor from before a rebuild; INVALID_ARGUMENT
  // for one that is not a cursor.
  absl::StatusOr<Page> After(const std::string& department, const std::string& handler,
                             const std::string& cursor, size_t max_scanned = 1000);

 private:
  absl::Status Load() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Store* store_;
  const Clock* clock_;
  absl::Mutex mu_;
  bool loaded_ ABSL_GUARDED_BY(mu_) = false;
  std::string epoch_ ABSL_GUARDED_BY(mu_);
  // False while a new feed's epoch is only in the batches Stage filled
  // (each puts it again until a cursor is given, which syncs it).
  bool epoch_stored_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t next_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace complaints::dispatch
