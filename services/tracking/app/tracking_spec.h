#pragma once
// Tracking declared (§3.2–§5.2): the staff commands on a complaint in hand,
// the policies that start and move its deadlines, close it when intake ends
// it, and record an imported case's history, and the projections kept beside
// the views (tracking_projections.h). Read tracking_spec.cc for everything
// tracking decides.

#include "libs/runner/service_spec.h"
#include "libs/store/store.h"
#include "services/tracking/app/tracking_projections.h"
#include "services/tracking/domain/handling_decider.h"
#include "services/tracking/domain/history_decider.h"
#include "services/tracking/domain/notifier.h"
#include "services/tracking/domain/sla_decider.h"

namespace complaints::tracking {

// What the declaration refers to; all must outlive the spec's runner.
struct TrackingParts {
  Store* store = nullptr;
  const SlaDecider* sla = nullptr;
  const HandlingDecider* handling = nullptr;
  const HistoryDecider* history = nullptr;
  const v1::HandlingPolicy* policy = nullptr;
  const BacklogRules* backlog = nullptr;
  // What tracking's decisions tell people; null: nothing is sent.
  const Notifier* notifier = nullptr;
};

ServiceSpec TrackingSpec(const TrackingParts& parts);

// What a due timer entry fires: the deadline's warning or breach, the
// status report, the long-term check reminder or the archiving; the entry
// leaves the index with it.
Decision TimerDecision(const TrackingParts& parts, const DueEntry& entry);

}  // namespace complaints::tracking
