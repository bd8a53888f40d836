#include "services/tracking/domain/import_deadline.h"

#include <algorithm>

#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
#include "services/tracking/domain/sla_plan.h"

namespace complaints::tracking {
namespace {

bool RespondOrResolve(v1::SlaTarget target) {
  return target == v1::SLA_TARGET_RESPOND || target == v1::SLA_TARGET_RESOLVE;
}

void Add(v1::DeadlinesSet& plan, const TimerId& id, const v1::SlaPolicy& policy, absl::Time at) {
  v1::ScheduledTimer& timer = *plan.add_timers();
  timer.set_timer_id(MakeTimerId(id, policy, at));
  *timer.mutable_fire_at() = ToProto(at);
}

}  // namespace

bool KeepsSourceDue(const v1::ComplaintView& view) {
  return Imported(view) && !ImportedClosed(view) && view.intake().history().has_target_at();
}

std::optional<absl::Time> SourceDue(const v1::HistoricalCase& history, const Pauses& pauses,
                                    const google::protobuf::Map<int32_t, int64_t>& extensions) {
  absl::Duration moved = absl::ZeroDuration();
  for (const v1::PauseSpan& pause : pauses) {
    if (!pause.has_to()) return std::nullopt;
    moved += FromProto(pause.to()) - FromProto(pause.from());
  }
  auto extra = extensions.find(v1::SLA_TARGET_RESOLVE);
  if (extra != extensions.end()) moved += absl::Minutes(extra->second);
  return FromProto(history.target_at()) + moved;
}

void KeepSourceDue(v1::DeadlinesSet& plan, const v1::SlaPolicy& policy,
                   const v1::ComplaintView& view, const v1::SlaState& sla) {
  const v1::HistoricalCase& history = view.intake().history();
  const absl::Time opened = FromProto(history.opened_at());
  const absl::Time imported = FromProto(history.imported_at());
  plan.clear_respond_by();
  plan.clear_resolve_by();
  auto& targets = *plan.mutable_targets();
  targets.erase(std::remove_if(targets.begin(), targets.end(),
                               [](const v1::TargetDue& t) { return RespondOrResolve(t.target()); }),
                targets.end());
  auto& timers = *plan.mutable_timers();
  timers.erase(std::remove_if(timers.begin(), timers.end(),
                              [&](const v1::ScheduledTimer& t) {
                                TimerId id;
                                return !ParseTimerId(t.timer_id(), &id) ||
                                       RespondOrResolve(id.target) ||
                                       FromProto(t.fire_at()) <= imported;
                              }),
               timers.end());

  const std::optional<absl::Time> due = SourceDue(history, sla.pauses(), sla.extension_minutes());
  v1::TargetDue& resolve = *plan.add_targets();
  resolve.set_target(v1::SLA_TARGET_RESOLVE);
  resolve.set_basis(v1::TIME_BASIS_CALENDAR);
  resolve.set_allowed_minutes(absl::ToInt64Minutes(FromProto(history.target_at()) - opened));
  if (!due) return;  // an open pause stops the clock
  *resolve.mutable_due_at() = ToProto(*due);
  *plan.mutable_resolve_by() = resolve.due_at();
  if (sla.backlog()) {
    for (const v1::ScheduledTimer& released : sla.backlog_timers()) *plan.add_timers() = released;
    return;
  }
  const absl::Time warn = opened + (*due - opened) * policy.warning_percent() / 100;
  if (warn > imported) Add(plan, {v1::SLA_TARGET_RESOLVE, TimerKind::kWarning, 0}, policy, warn);
  if (*due > imported) Add(plan, {v1::SLA_TARGET_RESOLVE, TimerKind::kBreach, 0}, policy, *due);
  for (const v1::EscalationStep& step : policy.escalation()) {
    const absl::Time at = *due + absl::Minutes(step.minutes_after_breach());
    if (at > imported) {
      Add(plan, {v1::SLA_TARGET_RESOLVE, TimerKind::kEscalation, step.level()}, policy, at);
    }
  }
}

}  // namespace complaints::tracking
