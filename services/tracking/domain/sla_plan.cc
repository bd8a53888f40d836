#include "services/tracking/domain/sla_plan.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/core/time_util.h"
#include "services/tracking/domain/sla_policy.h"

namespace complaints::tracking {
namespace {

constexpr const char* kKindNames[] = {"warning", "breach", "escalation"};

void AddTimer(v1::DeadlinesSet& plan, const TimerId& id, const v1::SlaPolicy& policy,
              absl::Time fire_at) {
  v1::ScheduledTimer& timer = *plan.add_timers();
  timer.set_timer_id(MakeTimerId(id, policy, fire_at));
  *timer.mutable_fire_at() = ToProto(fire_at);
}

}  // namespace

std::string MakeTimerId(const TimerId& id, const v1::SlaPolicy& policy, absl::Time fire_at) {
  std::string text =
      absl::StrCat(v1::SlaTarget_Name(id.target), "/", kKindNames[static_cast<int>(id.kind)]);
  if (id.kind == TimerKind::kEscalation) absl::StrAppend(&text, "/", id.level);
  absl::StrAppend(&text, "@", policy.id(), ".v", policy.version(), "/",
                  absl::ToUnixSeconds(fire_at));
  return text;
}

bool ParseTimerId(absl::string_view text, TimerId* id) {
  std::vector<absl::string_view> head_tail = absl::StrSplit(text, absl::MaxSplits('@', 1));
  if (head_tail.size() != 2) return false;
  std::vector<absl::string_view> parts = absl::StrSplit(head_tail[0], '/');
  v1::SlaTarget target;
  if (parts.size() < 2 || !v1::SlaTarget_Parse(std::string(parts[0]), &target)) return false;
  id->target = target;
  id->level = 0;
  if (parts[1] == "warning" && parts.size() == 2) {
    id->kind = TimerKind::kWarning;
  } else if (parts[1] == "breach" && parts.size() == 2) {
    id->kind = TimerKind::kBreach;
  } else if (parts[1] == "escalation" && parts.size() == 3 &&
             absl::SimpleAtoi(parts[2], &id->level)) {
    id->kind = TimerKind::kEscalation;
  } else {
    return false;
  }
  return true;
}

v1::DeadlinesSet Plan(const v1::SlaPolicy& policy, const BusinessCalendar& calendar,
                      absl::Time started, const Pauses& pauses,
                      const google::protobuf::Map<int32_t, int64_t>* extensions) {
  v1::DeadlinesSet plan;
  plan.mutable_policy()->set_id(policy.id());
  plan.mutable_policy()->set_version(policy.version());
  plan.set_priority(policy.priority());
  plan.set_complexity(policy.complexity());
  *plan.mutable_clock_started_at() = ToProto(started);
  for (const v1::TargetLimit& limit : policy.limits()) {
    int64_t minutes = limit.minutes();
    if (extensions != nullptr) {
      auto extra = extensions->find(limit.target());
      if (extra != extensions->end()) minutes += extra->second;
    }
    const absl::Duration allowed = absl::Minutes(minutes);
    std::optional<absl::Time> due = DueAt(limit.basis(), calendar, started, pauses, allowed);
    v1::TargetDue& target = *plan.add_targets();
    target.set_target(limit.target());
    target.set_basis(limit.basis());
    target.set_allowed_minutes(minutes);
    if (!due) continue;
    *target.mutable_due_at() = ToProto(*due);
    if (limit.target() == v1::SLA_TARGET_RESPOND) *plan.mutable_respond_by() = target.due_at();
    if (limit.target() == v1::SLA_TARGET_RESOLVE) *plan.mutable_resolve_by() = target.due_at();

    std::optional<absl::Time> warn =
        DueAt(limit.basis(), calendar, started, pauses, allowed * policy.warning_percent() / 100);
    if (warn) AddTimer(plan, {limit.target(), TimerKind::kWarning, 0}, policy, *warn);
    AddTimer(plan, {limit.target(), TimerKind::kBreach, 0}, policy, *due);
    if (limit.target() != v1::SLA_TARGET_RESPOND && limit.target() != v1::SLA_TARGET_RESOLVE)
      continue;
    for (const v1::EscalationStep& step : policy.escalation()) {
      std::optional<absl::Time> at = DueAt(limit.basis(), calendar, started, pauses,
                                           allowed + absl::Minutes(step.minutes_after_breach()));
      if (at) AddTimer(plan, {limit.target(), TimerKind::kEscalation, step.level()}, policy, *at);
    }
  }
  return plan;
}

}  // namespace complaints::tracking
