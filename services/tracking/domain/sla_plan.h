#pragma once
// §3.2 what a policy means for one complaint's clock: when each target falls
// due, and the timers — warning, breach, each escalation level — the shell
// must fire. Timer ids are deterministic and name their time, so a timer made
// stale by a recomputation is recognisably not among the current ones.

#include <string>

#include "absl/time/time.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/events.pb.h"
#include "services/tracking/domain/sla_clock.h"

namespace complaints::tracking {

enum class TimerKind { kWarning, kBreach, kEscalation };

struct TimerId {
  v1::SlaTarget target = v1::SLA_TARGET_UNSPECIFIED;
  TimerKind kind = TimerKind::kWarning;
  int level = 0;  // escalation level; 0 otherwise
};

// Fills targets, timers, respond_by and resolve_by of a DeadlinesSet for
// `policy` and the clock (`started`, `pauses`). A target whose clock is
// stopped by an open pause gets no due time and no timers.
// `extensions` (may be null) adds approved minutes to a target's allowed time.
v1::DeadlinesSet Plan(const v1::SlaPolicy& policy, const BusinessCalendar& calendar,
                      absl::Time started, const Pauses& pauses,
                      const google::protobuf::Map<int32_t, int64_t>* extensions = nullptr);

// "<target>/<kind>[/<level>]@<policy id>.v<version>/<unix seconds>".
std::string MakeTimerId(const TimerId& id, const v1::SlaPolicy& policy, absl::Time fire_at);
// Parses what MakeTimerId made; false for anything else.
bool ParseTimerId(absl::string_view text, TimerId* id);

}  // namespace complaints::tracking
