#pragma once
// The §3.2 deadline decider. The clock starts at receipt under the policy for
// the complaint's priority x complexity; pausing stops it (time waiting on the
// complainant does not count); resuming or reclassifying recomputes every
// target from the same start and pauses, so elapsed and paused time are kept.
// Timers are data: each DeadlinesSet lists the timers to fire; FireTimer
// carries the time, and a timer fired twice, or made stale by a
// recomputation, decides nothing. A case imported open keeps its source due
// time (import_deadline.h); one past it at import is recorded overdue at once
// and its escalations wait for its backlog slot (backlog.h). Pure.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"
#include "services/tracking/domain/backlog.h"
#include "services/tracking/domain/business_calendar.h"
#include "services/tracking/domain/sla_clock.h"
#include "services/tracking/domain/sla_policy.h"

namespace complaints::tracking {

// The reason of the first DeadlinesSet of a complaint.
inline constexpr char kClockStartedReason[] = "clock started at receipt";

// Starts the clock at the complaint's receipt.
struct StartClock {
  std::string complaint_id;
  v1::Priority priority = v1::PRIORITY_UNSPECIFIED;
  v1::Complexity complexity = v1::COMPLEXITY_UNSPECIFIED;
};
struct PauseClock {
  std::string complaint_id;
  absl::Time at;
  std::string reason;
};
struct ResumeClock {
  std::string complaint_id;
  absl::Time at;
};
// §2.3 reclassification or a complexity reassessment: new targets, same clock.
struct ChangeSlaClass {
  std::string complaint_id;
  v1::Priority priority = v1::PRIORITY_UNSPECIFIED;
  v1::Complexity complexity = v1::COMPLEXITY_UNSPECIFIED;
  std::string reason;
};
struct FireTimer {
  std::string complaint_id;
  std::string timer_id;
  absl::Time now;
};

// The complexity assumed when intake recorded none.
inline constexpr v1::Complexity kDefaultComplexity = v1::COMPLEXITY_ORDINARY;

// Policy: "ComplaintClassified -> start the clock".
std::optional<StartClock> StartPolicy(const v1::Envelope& event);
// Policy: "ComplaintReclassified -> change the SLA class".
std::optional<ChangeSlaClass> ReclassificationPolicy(const v1::Envelope& event);

class SlaDecider {
 public:
  // `book` and `calendar` must outlive the decider.
  SlaDecider(const SlaBook* book, const BusinessCalendar* calendar)
      : book_(book), calendar_(calendar) {}

  absl::StatusOr<std::vector<v1::Envelope>> Decide(const StartClock& command,
                                                   const v1::ComplaintView& view) const;
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const PauseClock& command,
                                                   const v1::ComplaintView& view) const;
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const ResumeClock& command,
                                                   const v1::ComplaintView& view) const;
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const ChangeSlaClass& command,
                                                   const v1::ComplaintView& view) const;
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const FireTimer& command,
                                                   const v1::ComplaintView& view) const;
  // BacklogEntered once per open import; nothing for any other case.
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const EnterBacklog& command,
                                                   const v1::ComplaintView& view) const;

 private:
  absl::StatusOr<v1::Envelope> Recompute(const v1::ComplaintView& view, const v1::SlaState& sla,
                                         v1::Priority priority, v1::Complexity complexity,
                                         const Pauses& pauses, const std::string& reason) const;

  const SlaBook* book_;
  const BusinessCalendar* calendar_;
};

}  // namespace complaints::tracking
