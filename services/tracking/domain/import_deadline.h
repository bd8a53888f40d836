#pragma once
// §4.2 the deadline of a case imported still open, when its previous system
// gave it a due time: the clock started when the case was opened there, the
// resolve target is that due time (moved on by pauses and extensions here),
// and the first response is left to the previous system, which gave it.
// Nothing that fell due before the import is timed: a case past its due time
// at import is recorded overdue at once (SlaDecider) and its escalations wait
// for its department's backlog release (backlog.h). Pure.

#include "absl/time/time.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"
#include "services/tracking/domain/sla_clock.h"

namespace complaints::tracking {

// An open import whose source gave a due time: it keeps it.
bool KeepsSourceDue(const v1::ComplaintView& view);

// The source due time, moved on by the closed pauses and the approved
// resolve extension; nullopt while a pause is open.
std::optional<absl::Time> SourceDue(const v1::HistoricalCase& history, const Pauses& pauses,
                                    const google::protobuf::Map<int32_t, int64_t>& extensions);

// Rewrites the respond and resolve parts of `plan` (the policy's, from the
// source's opening) for such a case: no respond target; the resolve target
// at SourceDue with its warning, breach and escalations (calendar time);
// nothing timed at or before the import. For a backlog case (`sla.backlog`)
// the resolve timers are the released ones (`sla.backlog_timers`) alone.
// REQUIRES: KeepsSourceDue(view).
void KeepSourceDue(v1::DeadlinesSet& plan, const v1::SlaPolicy& policy,
                   const v1::ComplaintView& view, const v1::SlaState& sla);

}  // namespace complaints::tracking
