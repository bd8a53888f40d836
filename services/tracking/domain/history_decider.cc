#include "services/tracking/domain/history_decider.h"

#include "absl/strings/str_cat.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
#include "services/tracking/domain/sla_plan.h"

namespace complaints::tracking {
namespace {

v1::SlaPolicy ImportPolicy() {
  v1::SlaPolicy policy;
  policy.set_id(kImportPolicy);
  policy.set_version(1);
  return policy;
}

v1::Envelope Dated(const google::protobuf::Timestamp& at) {
  v1::Envelope event;
  *event.mutable_occurred_at() = at;
  *event.mutable_recorded_at() = at;
  return event;
}

// The deadline the previous system gave: its target as the resolve-by time.
v1::Envelope Deadlines(const v1::ComplaintView& view) {
  const v1::HistoricalCase& history = view.intake().history();
  v1::Envelope event = Dated(history.opened_at());
  v1::DeadlinesSet& deadlines = *event.mutable_deadlines_set();
  deadlines.mutable_policy()->set_id(kImportPolicy);
  deadlines.mutable_policy()->set_version(1);
  deadlines.set_priority(view.intake().priority());
  deadlines.set_complexity(view.intake().complexity());
  *deadlines.mutable_clock_started_at() = history.opened_at();
  deadlines.set_reason(absl::StrCat("as set by ", history.source_system()));
  if (history.has_target_at()) {
    *deadlines.mutable_resolve_by() = history.target_at();
    v1::TargetDue& target = *deadlines.add_targets();
    target.set_target(v1::SLA_TARGET_RESOLVE);
    *target.mutable_due_at() = history.target_at();
    target.set_basis(v1::TIME_BASIS_CALENDAR);
    target.set_allowed_minutes(
        absl::ToInt64Minutes(FromProto(history.target_at()) - FromProto(history.opened_at())));
  }
  return event;
}

}  // namespace

std::optional<RecordHistory> HistoryPolicy(const v1::Envelope& event,
                                           const v1::ComplaintView& view) {
  if (!ImportedClosed(view) || (!event.has_classified() && !event.has_assigned())) {
    return std::nullopt;
  }
  return RecordHistory{event.complaint_id()};
}

std::string ImportedBreachId(const v1::HistoricalCase& history) {
  return MakeTimerId({v1::SLA_TARGET_RESOLVE, TimerKind::kBreach, 0}, ImportPolicy(),
                     FromProto(history.target_at()));
}

absl::StatusOr<std::vector<v1::Envelope>> HistoryDecider::Decide(
    const RecordHistory& command, const v1::ComplaintView& view) const {
  (void)command;
  std::vector<v1::Envelope> events;
  const v1::HandlingStatus status = view.tracking().handling().status();
  if (!ImportedClosed(view) || view.intake().category().empty() ||
      status == v1::HANDLING_STATUS_CLOSED || status == v1::HANDLING_STATUS_ARCHIVED) {
    return events;
  }
  if (!view.tracking().sla().has_started_at()) events.push_back(Deadlines(view));
  if (view.dispatch().department().empty()) return events;

  const v1::HistoricalCase& history = view.intake().history();
  const absl::Time closed_at = FromProto(history.closed_at());
  if (history.has_target_at() && closed_at > FromProto(history.target_at())) {
    v1::Envelope breach = Dated(history.target_at());
    v1::DeadlineBreached& breached = *breach.mutable_deadline_breached();
    breached.set_target(v1::SLA_TARGET_RESOLVE);
    *breached.mutable_due_at() = history.target_at();
    breached.set_timer_id(ImportedBreachId(history));
    events.push_back(std::move(breach));
  }
  v1::Envelope resolved = Dated(history.closed_at());
  resolved.mutable_resolved()->set_outcome(history.status().empty() ? std::string("closed")
                                                                    : history.status());
  resolved.mutable_resolved()->set_solution(history.closure());
  events.push_back(std::move(resolved));
  v1::RuleRef policy;
  policy.set_id(handling_.id());
  policy.set_version(handling_.version());
  if (history.satisfaction() > 0) {
    v1::Envelope follow_up = Dated(history.closed_at());
    v1::FollowUpRecorded& recorded = *follow_up.mutable_follow_up_recorded();
    recorded.set_satisfaction(history.satisfaction());
    recorded.set_satisfied(history.satisfaction() >= handling_.satisfied_from_score());
    recorded.set_comments(absl::StrCat("as recorded by ", history.source_system()));
    *recorded.mutable_policy() = policy;
    events.push_back(std::move(follow_up));
  }
  v1::Envelope closed = Dated(history.closed_at());
  closed.mutable_closed()->set_reason(
      absl::StrCat("closed in ", history.source_system(), " (case ", history.source_id(), ")"));
  *closed.mutable_closed()->mutable_policy() = std::move(policy);
  events.push_back(std::move(closed));
  return events;
}

}  // namespace complaints::tracking
