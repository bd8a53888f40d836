#pragma once
// §3.2 the clock's scheduled timers of a view. A stored view holds them as
// the bytes of a ScheduledTimers message (SlaState.scheduled_timers), read
// in place, because tracking copies and rewrites the view with every event;
// a view stored by an earlier release, a client's view and a test's view
// hold them as messages (SlaState.scheduled). These functions read and write
// both, so no caller depends on which one a view has.

#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "complaints/v1/state.pb.h"

namespace complaints {

struct ScheduledRef {
  absl::string_view timer_id;  // points into the view: valid while it is unchanged
  absl::Time fire_at;
};

// Calls `visit` for each scheduled timer of `sla` in plan order until it
// returns false. Packed bytes that do not parse end the visit where they
// stop making sense (a view this code wrote always parses).
void ForEachScheduled(const v1::SlaState& sla, absl::FunctionRef<bool(const ScheduledRef&)> visit);

// The timers `sla` has scheduled, as messages.
std::vector<v1::ScheduledTimer> ScheduledOf(const v1::SlaState& sla);

// The plan replaced by `timers`, packed.
void SetScheduled(v1::SlaState& sla,
                  const google::protobuf::RepeatedPtrField<v1::ScheduledTimer>& timers);
// `timers` added after those scheduled already.
void AddScheduled(v1::SlaState& sla,
                  const google::protobuf::RepeatedPtrField<v1::ScheduledTimer>& timers);
void ClearScheduled(v1::SlaState& sla);

// The view as clients read it: the timers in `scheduled`, none packed.
void UnpackScheduled(v1::ComplaintView& view);

}  // namespace complaints
