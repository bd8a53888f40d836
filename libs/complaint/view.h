#pragma once
// The complaint view: a pure fold over a complaint's events, shared by every
// service. Each event changes only its writer's sub-state, so folding the
// three topics in any interleaving gives the same view.

#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints {

// True when `event` is at or below the sequence its writer's sub-state has
// applied: a re-delivery that must change nothing.
bool AlreadyApplied(const v1::ComplaintView& view, const v1::Envelope& event);

// The view after `event`. An event already applied returns `view` unchanged.
v1::ComplaintView Evolve(v1::ComplaintView view, const v1::Envelope& event);

// The sequence `writer` has applied for this complaint (0 when none).
int64_t AppliedSequence(const v1::ComplaintView& view, v1::Writer writer);

}  // namespace complaints
