#include "services/tracking/domain/sla_decider.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
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

absl::StatusOr<v1::Envelope> SlaDecider::Recompute(const v1::SlaState& sla, v1::Priority priority,
                                                   v1::Complexity complexity, const Pauses& pauses,
                                                   const std::string& reason) const {
  absl::StatusOr<const v1::SlaPolicy*> policy = book_->Find(priority, complexity);
  if (!policy.ok()) return policy.status();
  v1::Envelope event;
  *event.mutable_deadlines_set() =
      Plan(**policy, *calendar_, FromProto(sla.started_at()), pauses, &sla.extension_minutes());
  event.mutable_deadlines_set()->set_reason(reason);
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
  absl::StatusOr<v1::Envelope> event =
      Recompute(sla, command.priority, command.complexity, {}, kClockStartedReason);
  if (!event.ok()) return event.status();
  return One(*std::move(event));
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
      Recompute(sla, sla.priority(), sla.complexity(), pauses, "clock resumed");
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
      Recompute(sla, command.priority, command.complexity, sla.pauses(), command.reason);
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
  auto scheduled =
      std::find_if(sla.scheduled().begin(), sla.scheduled().end(),
                   [&](const v1::ScheduledTimer& t) { return t.timer_id() == command.timer_id; });
  // Stale (replaced by a recomputation), stopped by a pause, or the complaint
  // is no longer open: nothing to decide.
  if (scheduled == sla.scheduled().end() || Paused(sla) ||
      view.tracking().handling().status() != v1::HANDLING_STATUS_OPEN) {
    return std::vector<v1::Envelope>{};
  }
  if (command.now < FromProto(scheduled->fire_at())) {
    return absl::FailedPreconditionError(absl::StrCat("timer ", command.timer_id, " fires at ",
                                                      FormatRfc3339(scheduled->fire_at())));
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
  const std::optional<absl::Time> due =
      DueAt(limit->basis(), *calendar_, FromProto(sla.started_at()), sla.pauses(),
            absl::Minutes(minutes));
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

}  // namespace complaints::tracking
