#include "services/tracking/domain/sla_decider.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "libs/complaint/scheduled_timers.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
#include "services/tracking/domain/import_deadline.h"
#include "services/tracking/domain/sla_plan.h"

namespace complaints::tracking {
namespace {

bool Started(const v1::ComplaintView& view) { return view.tracking().sla().has_started_at(); }

bool Paused(const v1::SlaState& sla) {
  return !sla.pauses().empty() && !sla.pauses().rbegin()->has_to();
}

absl::Status NotStarted(const std::string& complaint_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("complaint ", complaint_id, ": its handling clock has not started"));
}

v1::Envelope At(absl::Time at) {
  v1::Envelope event;
  *event.mutable_occurred_at() = ToProto(at);
  return event;
}

std::vector<v1::Envelope> One(v1::Envelope event) { return {std::move(event)}; }

}  // namespace

std::optional<StartClock> StartPolicy(const v1::Envelope& event) {
  if (!event.has_classified()) return std::nullopt;
  const v1::Complexity complexity = event.classified().complexity() == v1::COMPLEXITY_UNSPECIFIED
                                        ? kDefaultComplexity
                                        : event.classified().complexity();
  return StartClock{event.complaint_id(), event.classified().priority(), complexity};
}

std::optional<ChangeSlaClass> ReclassificationPolicy(const v1::Envelope& event) {
  if (!event.has_reclassified()) return std::nullopt;
  const v1::ComplaintReclassified& change = event.reclassified();
  return ChangeSlaClass{
      event.complaint_id(), change.priority(),
      change.complexity() == v1::COMPLEXITY_UNSPECIFIED ? kDefaultComplexity : change.complexity(),
      absl::StrCat("reclassified: ", change.reason())};
}

absl::StatusOr<v1::Envelope> SlaDecider::Recompute(const v1::ComplaintView& view,
                                                   const v1::SlaState& sla, v1::Priority priority,
                                                   v1::Complexity complexity, const Pauses& pauses,
                                                   const std::string& reason) const {
  absl::StatusOr<const v1::SlaPolicy*> policy = book_->Find(priority, complexity);
  if (!policy.ok()) return policy.status();
  v1::Envelope event;
  v1::DeadlinesSet& plan = *event.mutable_deadlines_set();
  plan = Plan(**policy, *calendar_, FromProto(sla.started_at()), pauses, &sla.extension_minutes());
  if (KeepsSourceDue(view)) {
    v1::SlaState clock = sla;
    *clock.mutable_pauses() = pauses;
    KeepSourceDue(plan, **policy, view, clock);
    plan.set_backlog(sla.backlog());
  }
  plan.set_reason(reason);
  return event;
}

absl::StatusOr<std::vector<v1::Envelope>> SlaDecider::Decide(const StartClock& command,
                                                             const v1::ComplaintView& view) const {
  // A case imported closed keeps the deadline it had (HistoryDecider).
  if (Started(view) || ImportedClosed(view)) return std::vector<v1::Envelope>{};
  if (!view.intake().received()) {
    return absl::FailedPreconditionError(
        absl::StrCat("complaint ", command.complaint_id, " is not received yet"));
  }
  v1::SlaState sla;
  *sla.mutable_started_at() = ClockStart(view);
  if (!KeepsSourceDue(view)) {
    absl::StatusOr<v1::Envelope> event =
        Recompute(view, sla, command.priority, command.complexity, {}, kClockStartedReason);
    if (!event.ok()) return event.status();
    return One(*std::move(event));
  }
  // §4.2 imported open with a due time: the clock started at the source's
  // opening, and a case past its due time at import breached then.
  const v1::HistoricalCase& history = view.intake().history();
  *sla.mutable_started_at() = history.opened_at();
  const absl::Time due = FromProto(history.target_at());
  sla.set_backlog(due <= FromProto(history.imported_at()));
  absl::StatusOr<v1::Envelope> event =
      Recompute(view, sla, command.priority, command.complexity, {},
                absl::StrCat("resolve-by as set by ", history.source_system()));
  if (!event.ok()) return event.status();
  std::vector<v1::Envelope> events = One(*std::move(event));
  if (sla.backlog()) {
    absl::StatusOr<const v1::SlaPolicy*> policy = book_->Find(command.priority, command.complexity);
    if (!policy.ok()) return policy.status();
    v1::Envelope breach = At(due);
    v1::DeadlineBreached& breached = *breach.mutable_deadline_breached();
    breached.set_target(v1::SLA_TARGET_RESOLVE);
    *breached.mutable_due_at() = history.target_at();
    breached.set_timer_id(
        MakeTimerId({v1::SLA_TARGET_RESOLVE, TimerKind::kBreach, 0}, **policy, due));
    events.push_back(std::move(breach));
  }
  return events;
}

absl::StatusOr<std::vector<v1::Envelope>> SlaDecider::Decide(const PauseClock& command,
                                                             const v1::ComplaintView& view) const {
  if (!Started(view)) return NotStarted(command.complaint_id);
  const v1::SlaState& sla = view.tracking().sla();
  if (Paused(sla)) return std::vector<v1::Envelope>{};
  if (command.reason.empty()) return absl::InvalidArgumentError("reason: required");
  if (command.at < FromProto(sla.started_at()) ||
      (!sla.pauses().empty() && command.at < FromProto(sla.pauses().rbegin()->to()))) {
    return absl::InvalidArgumentError("at: before the clock's last change");
  }
  v1::Envelope event = At(command.at);
  event.mutable_clock_paused()->set_reason(command.reason);
  return One(std::move(event));
}

absl::StatusOr<std::vector<v1::Envelope>> SlaDecider::Decide(const ResumeClock& command,
                                                             const v1::ComplaintView& view) const {
  if (!Started(view)) return NotStarted(command.complaint_id);
  const v1::SlaState& sla = view.tracking().sla();
  if (!Paused(sla)) return std::vector<v1::Envelope>{};
  if (command.at < FromProto(sla.pauses().rbegin()->from())) {
    return absl::InvalidArgumentError("at: before the pause began");
  }
  Pauses pauses = sla.pauses();
  *pauses.rbegin()->mutable_to() = ToProto(command.at);
  absl::StatusOr<v1::Envelope> deadlines =
      Recompute(view, sla, sla.priority(), sla.complexity(), pauses, "clock resumed");
  if (!deadlines.ok()) return deadlines.status();
  v1::Envelope resumed = At(command.at);
  resumed.mutable_clock_resumed();
  *deadlines->mutable_occurred_at() = ToProto(command.at);
  return std::vector<v1::Envelope>{std::move(resumed), *std::move(deadlines)};
}

absl::StatusOr<std::vector<v1::Envelope>> SlaDecider::Decide(const ChangeSlaClass& command,
                                                             const v1::ComplaintView& view) const {
  if (!Started(view)) return NotStarted(command.complaint_id);
  const v1::SlaState& sla = view.tracking().sla();
  if (sla.priority() == command.priority && sla.complexity() == command.complexity) {
    return std::vector<v1::Envelope>{};
  }
  if (command.reason.empty()) return absl::InvalidArgumentError("reason: required");
  absl::StatusOr<v1::Envelope> event =
      Recompute(view, sla, command.priority, command.complexity, sla.pauses(), command.reason);
  if (!event.ok()) return event.status();
  return One(*std::move(event));
}

absl::StatusOr<std::vector<v1::Envelope>> SlaDecider::Decide(const FireTimer& command,
                                                             const v1::ComplaintView& view) const {
  const v1::SlaState& sla = view.tracking().sla();
  const auto& fired = sla.fired_timer_ids();
  if (std::find(fired.begin(), fired.end(), command.timer_id) != fired.end()) {
    return std::vector<v1::Envelope>{};  // fired before
  }
  std::optional<absl::Time> fire_at;
  ForEachScheduled(sla, [&](const ScheduledRef& timer) {
    if (timer.timer_id == command.timer_id) fire_at = timer.fire_at;
    return !fire_at.has_value();
  });
  // Stale (replaced by a recomputation), stopped by a pause, or the complaint
  // is no longer open: nothing to decide.
  if (!fire_at.has_value() || Paused(sla) ||
      view.tracking().handling().status() != v1::HANDLING_STATUS_OPEN) {
    return std::vector<v1::Envelope>{};
  }
  if (command.now < *fire_at) {
    return absl::FailedPreconditionError(
        absl::StrCat("timer ", command.timer_id, " fires at ", FormatRfc3339(ToProto(*fire_at))));
  }
  TimerId id;
  if (!ParseTimerId(command.timer_id, &id))
    return absl::InvalidArgumentError("timer_id: malformed");
  // The first response is met once the receiver accepted.
  if (id.target == v1::SLA_TARGET_RESPOND && view.dispatch().has_first_accepted_at()) {
    return std::vector<v1::Envelope>{};
  }
  absl::StatusOr<const v1::SlaPolicy*> policy = book_->Find(sla.priority(), sla.complexity());
  if (!policy.ok()) return policy.status();
  const v1::TargetLimit* limit = LimitOf(**policy, id.target);
  if (limit == nullptr) return std::vector<v1::Envelope>{};
  auto extra = sla.extension_minutes().find(id.target);
  const int64_t minutes =
      limit->minutes() + (extra == sla.extension_minutes().end() ? 0 : extra->second);
  // The due time the deadlines set (an import's source due time included).
  std::optional<absl::Time> due;
  const v1::TrackingState& tracking = view.tracking();
  if (id.target == v1::SLA_TARGET_RESOLVE && tracking.has_resolve_by()) {
    due = FromProto(tracking.resolve_by());
  } else if (id.target == v1::SLA_TARGET_RESPOND && tracking.has_respond_by()) {
    due = FromProto(tracking.respond_by());
  } else {
    due = DueAt(limit->basis(), *calendar_, FromProto(sla.started_at()), sla.pauses(),
                absl::Minutes(minutes));
  }
  v1::Envelope event = At(command.now);
  switch (id.kind) {
    case TimerKind::kWarning: {
      v1::DeadlineWarning& warning = *event.mutable_deadline_warning();
      warning.set_target(id.target);
      if (due) *warning.mutable_due_at() = ToProto(*due);
      warning.set_percent_elapsed((*policy)->warning_percent());
      warning.set_timer_id(command.timer_id);
      break;
    }
    case TimerKind::kBreach: {
      v1::DeadlineBreached& breached = *event.mutable_deadline_breached();
      breached.set_target(id.target);
      if (due) *breached.mutable_due_at() = ToProto(*due);
      breached.set_timer_id(command.timer_id);
      break;
    }
    case TimerKind::kEscalation: {
      if (id.level < 1 || id.level > (*policy)->escalation_size())
        return std::vector<v1::Envelope>{};
      v1::Escalated& escalated = *event.mutable_escalated();
      escalated.set_target(id.target);
      escalated.set_level(id.level);
      escalated.set_role((*policy)->escalation(id.level - 1).role());
      escalated.set_timer_id(command.timer_id);
      break;
    }
  }
  return One(std::move(event));
}

absl::StatusOr<std::vector<v1::Envelope>> SlaDecider::Decide(const EnterBacklog& command,
                                                             const v1::ComplaintView& view) const {
  if (!JoinsBacklog(view)) return std::vector<v1::Envelope>{};
  if (command.department != view.dispatch().department()) {
    return absl::FailedPreconditionError(absl::StrCat("complaint ", command.complaint_id,
                                                      " is with ", view.dispatch().department(),
                                                      ", not ", command.department));
  }
  const v1::SlaState& sla = view.tracking().sla();
  v1::Envelope event;
  v1::BacklogEntered& entered = *event.mutable_backlog_entered();
  entered.set_department(command.department);
  entered.set_overdue(sla.backlog());
  if (!sla.backlog()) return One(std::move(event));
  if (!command.release_at) return absl::InvalidArgumentError("release_at: required when overdue");
  absl::StatusOr<const v1::SlaPolicy*> policy = book_->Find(sla.priority(), sla.complexity());
  if (!policy.ok()) return policy.status();
  if ((*policy)->escalation().empty()) return One(std::move(event));
  // The level its due time had reached by the slot (at least the first);
  // the levels after it keep their own times.
  const absl::Time release = *command.release_at;
  const absl::Time due = FromProto(view.tracking().resolve_by());
  int level = (*policy)->escalation(0).level();
  for (const v1::EscalationStep& step : (*policy)->escalation()) {
    if (due + absl::Minutes(step.minutes_after_breach()) <= release) {
      level = std::max(level, step.level());
    }
  }
  entered.set_level(level);
  auto add = [&](int at_level, absl::Time at) {
    v1::ScheduledTimer& timer = *entered.add_timers();
    timer.set_timer_id(
        MakeTimerId({v1::SLA_TARGET_RESOLVE, TimerKind::kEscalation, at_level}, **policy, at));
    *timer.mutable_fire_at() = ToProto(at);
  };
  add(level, release);
  for (const v1::EscalationStep& step : (*policy)->escalation()) {
    if (step.level() > level) add(step.level(), due + absl::Minutes(step.minutes_after_breach()));
  }
  return One(std::move(event));
}

}  // namespace complaints::tracking
