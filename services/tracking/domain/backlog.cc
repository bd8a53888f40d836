#include "services/tracking/domain/backlog.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"

namespace complaints::tracking {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("backlog.", field, ": ", reason));
}

}  // namespace

absl::StatusOr<BacklogRules> BacklogRulesOf(const v1::BacklogPolicy& policy) {
  BacklogRules rules;
  if (policy.grace_hours() < 0 || policy.grace_hours() > 720) {
    return Invalid("grace_hours", "0 to 720 (0: the default, 24)");
  }
  if (policy.releases_per_hour() < 0 || policy.releases_per_hour() > 3600) {
    return Invalid("releases_per_hour", "1 to 3600 (0: the default, 30)");
  }
  if (policy.summary_after_minutes() < 0 || policy.summary_after_minutes() > 1440) {
    return Invalid("summary_after_minutes", "1 to 1440 (0: the default, 10)");
  }
  if (policy.grace_hours() > 0) rules.grace = absl::Hours(policy.grace_hours());
  if (policy.releases_per_hour() > 0) rules.releases_per_hour = policy.releases_per_hour();
  if (policy.summary_after_minutes() > 0) {
    rules.summary_after = absl::Minutes(policy.summary_after_minutes());
  }
  return rules;
}

bool JoinsBacklog(const v1::ComplaintView& view) {
  const v1::TrackingState& tracking = view.tracking();
  return Imported(view) && !ImportedClosed(view) && tracking.sla().has_started_at() &&
         tracking.sla().backlog_department().empty() && !view.dispatch().department().empty() &&
         tracking.handling().status() == v1::HANDLING_STATUS_OPEN;
}

std::string BacklogKey(const std::string& department) {
  return absl::StrCat(kBacklogPrefix, department);
}

absl::Time ReleaseSlot(const v1::BacklogTally& tally, absl::Time imported_at,
                       const BacklogRules& rules) {
  const absl::Time after_grace = imported_at + rules.grace;
  if (!tally.has_next_release_at()) return after_grace;
  return std::max(after_grace, FromProto(tally.next_release_at()));
}

void CountEntered(v1::BacklogTally& tally, const v1::BacklogEntered& entered,
                  std::optional<absl::Time> release_at, absl::Time now, const BacklogRules& rules) {
  tally.set_department(entered.department());
  v1::BacklogSummary& pending = *tally.mutable_pending();
  pending.set_cases(pending.cases() + 1);
  pending.set_releases_per_hour(rules.releases_per_hour);
  *tally.mutable_summary_due_at() = ToProto(now + rules.summary_after);
  if (!entered.overdue()) return;
  pending.set_overdue(pending.overdue() + 1);
  if (entered.level() > 0) {
    while (pending.by_level_size() < entered.level()) pending.add_by_level(0);
    pending.set_by_level(entered.level() - 1, pending.by_level(entered.level() - 1) + 1);
  }
  if (!release_at) return;
  if (!pending.has_releases_from() || *release_at < FromProto(pending.releases_from())) {
    *pending.mutable_releases_from() = ToProto(*release_at);
  }
  if (!pending.has_releases_until() || *release_at > FromProto(pending.releases_until())) {
    *pending.mutable_releases_until() = ToProto(*release_at);
  }
  const absl::Time next = *release_at + absl::Hours(1) / rules.releases_per_hour;
  if (!tally.has_next_release_at() || next > FromProto(tally.next_release_at())) {
    *tally.mutable_next_release_at() = ToProto(next);
  }
}

bool SummaryDue(const v1::BacklogTally& tally, absl::Time now) {
  return tally.pending().cases() > 0 && tally.has_summary_due_at() &&
         FromProto(tally.summary_due_at()) <= now;
}

}  // namespace complaints::tracking
