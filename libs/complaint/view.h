#pragma once
// The complaint view: a pure fold over a complaint's events, shared by every
// service. Each event changes only its writer's sub-state, so folding the
// three topics in any interleaving gives the same view.

#include <string>

#include "absl/strings/string_view.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"
#include "complaints/v1/tracking.pb.h"

namespace complaints {

// True when `event` is at or below the sequence its writer's sub-state has
// applied: a re-delivery that must change nothing.
bool AlreadyApplied(const v1::ComplaintView& view, const v1::Envelope& event);

// What of the view a service keeps. The clock's scheduled timers (each
// complaint's SlaState.scheduled and backlog_timers, about two thirds of a
// view's bytes) are read by tracking alone; the other services leave them
// out, so that every view they load, copy and store is a third of the size.
// Each service folds every event with the same parts, so its rebuilt views
// equal its live ones.
enum class ViewParts { kWhole, kWithoutTimers };

// The view after `event`. An event already applied returns `view` unchanged.
v1::ComplaintView Evolve(v1::ComplaintView view, const v1::Envelope& event);
// Evolve on the caller's view, where it lives (an arena's view stays on its
// arena instead of being copied off it and back).
void EvolveInPlace(v1::ComplaintView& view, const v1::Envelope& event,
                   ViewParts parts = ViewParts::kWhole);

// True when `writer` has recorded events caused by the event `event_id`: a
// policy of that writer has answered it already (a rebuilt service must not
// decide it again).
bool Answered(const v1::ComplaintView& view, v1::Writer writer, absl::string_view event_id);

// The sequence `writer` has applied for this complaint (0 when none).
// When the centre received the complaint: the Received event's recorded time
// (its occurred time for events that carry none). The §3.2 clock and the §5.2
// silence count from here — the centre cannot be late before it knew. A case
// imported still open counts from its import: its history's deadlines were
// the previous system's, and the platform's clock starts when it takes over.
google::protobuf::Timestamp ClockStart(const v1::ComplaintView& view);

// True for a case imported from the centre's previous system (ImportCase).
bool Imported(const v1::ComplaintView& view);
// True for an imported case that was closed in the previous system: its
// whole history is recorded at import and nothing about it fires.
bool ImportedClosed(const v1::ComplaintView& view);

int64_t AppliedSequence(const v1::ComplaintView& view, v1::Writer writer);

// §3.2 the complaint's verdict against its resolve-by time (SlaVerdict):
// overdue once a resolve breach fired; else, once resolved and not open
// again, on time with a resolve-by time and no target without one; else
// none yet. Lists, figures, reports and the dashboard all read this one.
v1::SlaVerdict SlaVerdictOf(const v1::ComplaintView& view);

// The latest audit-chain value of `writer`'s events for the complaint (empty
// before its first chained event), and its update.
std::string ChainHead(const v1::ComplaintView& view, v1::Writer writer);
void SetChainHead(v1::ComplaintView& view, v1::Writer writer, const std::string& chain);

}  // namespace complaints
