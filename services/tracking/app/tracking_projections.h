#pragma once
// The projections tracking keeps beside its views (tracking_spec.cc), each
// folded in the unit that changes a view, on the command path and the
// consumer path alike:
//  - due timers: each complaint's first running timer, so the timer loop
//    finds what is due without reading views (tracking_timers.cc);
//  - the work queue: every complaint's WorkItem in resolve-by order
//    (tracking_queue.cc);
//  - the imported backlog: each department's tally of cases entered, its
//    summary to come and next free release slot (tracking_backlog.cc).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "complaints/v1/state.pb.h"
#include "libs/runner/outbox.h"
#include "libs/runner/scheduled_backlog.h"
#include "libs/runner/service_spec.h"
#include "libs/runner/write_gate.h"
#include "libs/store/store.h"
#include "services/tracking/domain/backlog.h"
#include "services/tracking/domain/notifier.h"

namespace complaints::tracking {

// One entry of the due-timer index.
struct DueEntry {
  std::string key;
  absl::Time fire_at;
  std::string complaint_id;
  std::string timer;
};

// Keeps the due-timer index in step with the views: one entry per complaint,
// its first running timer (tracking_timers.cc says why that is enough). An
// entry fired through it (Fired) leaves the index in the unit that fires it,
// even when firing decides nothing, so a stale entry fires once; the
// complaint's next timer after it takes its place.
class TimersFold final : public ProjectionFold {
 public:
  TimersFold(const Store* store, const v1::HandlingPolicy* handling)
      : store_(store), handling_(handling) {}
  absl::Status Fold(Batch& batch, const ChangedComplaint& change) override;
  void Fired(DueEntry entry) { fired_.push_back(std::move(entry)); }

 private:
  const Store* store_;
  const v1::HandlingPolicy* handling_;
  std::vector<DueEntry> fired_;
};
ProjectionSpec TimersProjection(const Store* store, const v1::HandlingPolicy* handling);

// The entries due by `now`, at most `limit`, partition by partition. An
// unreadable entry is removed (and logged) rather than returned.
absl::StatusOr<std::vector<DueEntry>> DueEntries(Store* store, absl::Time now, size_t limit);
// The index as a schedule, for the status port's backlog figures.
ScheduledQueue TimerSchedule(int partitions);

// Keeps the work queue in step with the views.
class QueueFold final : public ProjectionFold {
 public:
  explicit QueueFold(int partitions) : partitions_(partitions) {}
  absl::Status Fold(Batch& batch, const ChangedComplaint& change) override;

 private:
  int partitions_;
};
ProjectionSpec QueueProjection(int partitions);

// §4.2 each department's backlog tally, loaded once per unit. A decision
// takes an entering case's release slot from it (SlotFor); the fold counts
// the BacklogEntered that decision recorded, so a slot is given once. A
// BacklogEntered read back (a rebuild) is not counted again.
class BacklogFold final : public ProjectionFold {
 public:
  BacklogFold(const Store* store, const BacklogRules* rules) : store_(store), rules_(rules) {}
  // The release slot of `view`'s complaint, entering its department's
  // backlog at `now` (nullopt: not overdue).
  absl::StatusOr<std::optional<absl::Time>> SlotFor(const v1::ComplaintView& view);
  absl::Status Fold(Batch& batch, const ChangedComplaint& change) override;

 private:
  absl::StatusOr<v1::BacklogTally*> Tally(const std::string& department);

  const Store* store_;
  const BacklogRules* rules_;
  std::map<std::string, v1::BacklogTally> tallies_;
  std::map<std::string, std::optional<absl::Time>> slots_;  // by complaint, decided in this unit
};
ProjectionSpec BacklogProjection(const Store* store, const BacklogRules* rules);

// Sends each department's backlog summary due at `now` (nothing is sent
// with a null notifier, but the tally is still reset), each in one batch
// with its tally reset, under the whole gate. Returns how many.
absl::StatusOr<size_t> SendBacklogSummaries(Store* store, Outbox* outbox, WriteGate* gate,
                                            const Notifier* notifier, absl::Time now);

}  // namespace complaints::tracking
