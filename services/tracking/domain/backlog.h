#pragma once
// §4.2 the backlog an import hands over: open cases that arrive by the
// thousand, many already past their due time. Nobody is told of them one by
// one. Each department's supervisor gets one summary once the import has gone
// quiet (the counts, and when escalations will come); after the grace, each
// overdue case's held escalation comes at its own slot, the department's
// slots spaced at the policy's rate, so an import is never an escalation
// storm. The shell keeps a BacklogTally per department (the summary to come
// and the next free slot); these functions are its rules. Pure.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints::tracking {

// BacklogPolicy with its defaults applied.
struct BacklogRules {
  absl::Duration grace = absl::Hours(24);
  int releases_per_hour = 30;
  absl::Duration summary_after = absl::Minutes(10);
};

// INVALID_ARGUMENT naming the field ("backlog.grace_hours: ...").
absl::StatusOr<BacklogRules> BacklogRulesOf(const v1::BacklogPolicy& policy);

// The command: the case joins `department`'s backlog; an overdue one's held
// escalations are released at `release_at`.
struct EnterBacklog {
  std::string complaint_id;
  std::string department;
  std::optional<absl::Time> release_at;  // set for a backlog (overdue) case
};

// An open import under a running clock, assigned, not yet in a backlog.
bool JoinsBacklog(const v1::ComplaintView& view);

// Store key of a department's tally (family counts).
std::string BacklogKey(const std::string& department);
inline constexpr char kBacklogPrefix[] = "backlog/";

// The slot of the next overdue case of a department whose tally is `tally`,
// imported at `imported_at`: the grace after the import, or the next free
// slot when later.
absl::Time ReleaseSlot(const v1::BacklogTally& tally, absl::Time imported_at,
                       const BacklogRules& rules);

// Counts `entered` (decided at `now`, released at `release_at` when overdue)
// into the tally: the pending summary, its due time and the next free slot.
void CountEntered(v1::BacklogTally& tally, const v1::BacklogEntered& entered,
                  std::optional<absl::Time> release_at, absl::Time now, const BacklogRules& rules);

// A pending summary due at `now`.
bool SummaryDue(const v1::BacklogTally& tally, absl::Time now);

}  // namespace complaints::tracking
