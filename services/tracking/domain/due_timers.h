#pragma once
// Which timers a complaint has running, as a pure function of its view: the
// §3.2 deadline timers its DeadlinesSet scheduled (not fired, clock running,
// complaint open; the first response's only until the receiver accepted,
// since they decide nothing after that), the §5.2 status report after a silence (while in hand,
// once intake's receipt is known) and
// the §4.2 archiving after the retention and, for a complaint closed as
// satisfied and not checked yet, the §4.1 long-term check reminder (once
// closed). A case imported closed has none. The shell keeps a
// durable index of them in step with every view it writes, and fires each
// through the deciders when due; a timer that is no longer in this list
// decides nothing when it fires.

#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints::tracking {

inline constexpr char kStatusReportTimer[] = "status-report";
inline constexpr char kArchiveTimer[] = "archive";
inline constexpr char kLongTermCheckTimer[] = "long-term-check";

struct DueTimer {
  absl::Time fire_at;
  // An SLA timer id, kStatusReportTimer, kArchiveTimer or kLongTermCheckTimer.
  // Not a copy: an id points into the view (computed twice for every event
  // a service applies, the copies were most of the cost).
  absl::string_view name;
  bool operator==(const DueTimer& other) const = default;
};

// Which of a view's timers DueTimers lists.
enum class TimerSet {
  kAll,
  // All but the §3.2 deadline timers, for two views whose deadline timers
  // SameDeadlineTimers found equal.
  kWithoutDeadlines,
};

// The timers refer to `view`: keep it alive and unchanged while they are used.
std::vector<DueTimer> DueTimers(const v1::ComplaintView& view ABSL_ATTRIBUTE_LIFETIME_BOUND,
                                const v1::HandlingPolicy& policy, TimerSet set = TimerSet::kAll);

// True only when `a` and `b` run the same §3.2 deadline timers, because
// everything they are computed from is equal (false: they may differ). Far
// cheaper than listing them: a plan's timers are most of a view's bytes, and
// most events leave them as they were.
bool SameDeadlineTimers(const v1::ComplaintView& a, const v1::ComplaintView& b);

}  // namespace complaints::tracking
