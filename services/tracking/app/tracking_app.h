#pragma once
// The tracking shell: runs tracking's declaration (tracking_spec.h) — the
// staff commands of §3.2–§5.2, the deadline and import policies over the
// consumed intake, dispatch and analytics events, and the projections kept
// beside every complaint's view and full timeline (§4.2) — and answers the
// timeline and work-queue reads. Its timer loop (FireDueTimers) fires each
// due entry of the timer index through the deciders, the entry's removal,
// what it caused and the complaint's next timer in one batch, so each fires
// once across crashes. The
// consumer, the commands and the timers meet at the runtime's WriteGate.
// Thread-safe.

#include <atomic>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "complaints/v1/tracking.pb.h"
#include "libs/runner/consumed_batch.h"
#include "libs/runner/scheduled_backlog.h"
#include "libs/runner/spec_runner.h"
#include "services/tracking/app/tracking_spec.h"
#include "services/tracking/domain/backlog.h"
#include "services/tracking/domain/handling_decider.h"
#include "services/tracking/domain/history_decider.h"
#include "services/tracking/domain/notifier.h"
#include "services/tracking/domain/sla_decider.h"

namespace complaints::tracking {
struct TrackingAppOptions {
  RunnerParts parts;
  const SlaBook* sla = nullptr;
  const BusinessCalendar* calendar = nullptr;
  v1::HandlingPolicy handling;
  absl::Duration key_retention = absl::Hours(24 * 30);
  // What tracking's decisions tell people (complaints.notifications.v1),
  // written with the events; null: nothing is sent.
  const Notifier* notifier = nullptr;
};

class TrackingApp {
 public:
  // INVALID_ARGUMENT naming the field of a bad handling policy.
  static absl::StatusOr<std::unique_ptr<TrackingApp>> Create(TrackingAppOptions options);

  // The EventConsumer handler.
  absl::Status Apply(const std::vector<ConsumedRecord>& records) { return runner_.Apply(records); }
  ConsumedApplier& applier() { return runner_.applier(); }
  // The staff commands (tracking.proto): NOT_FOUND for a complaint tracking
  // does not know, INVALID_ARGUMENT naming the field, FAILED_PRECONDITION
  // naming the state, ALREADY_EXISTS for a key used for another request.
  SpecRunner& commands() { return runner_; }

  // One page of the complaint's timeline, live or as of a time (§4.2).
  // NOT_FOUND for a complaint unknown (then); INVALID_ARGUMENT for an empty
  // or over-long id, a bad page size, token or time.
  absl::StatusOr<v1::GetComplaintResponse> GetComplaint(
      const v1::GetComplaintRequest& request) const;

  // The work queue: one page of complaints in resolve-by order that pass the
  // request's filters. INVALID_ARGUMENT naming a bad filter, size or token.
  absl::StatusOr<v1::ListComplaintsResponse> ListComplaints(
      const v1::ListComplaintsRequest& request) const;

  using Actor = v1::Actor;
  // §3.1 resolves every complaint of an incident in hand (tracking_incidents.cc).
  absl::StatusOr<v1::ResolveIncidentResponse> ResolveIncident(
      const v1::ResolveIncidentRequest& request, const Actor& actor);

  // Fires the timers due by the clock's now, at most `limit`, and sends the
  // backlog summaries due; returns how many fired or were sent (a stale
  // timer fires as nothing). Does nothing until
  // SetFiring(true): a store being rebuilt from the topic would fire again
  // what the topic already holds.
  absl::StatusOr<size_t> FireDueTimers(size_t limit = 1'000);
  void SetFiring(bool firing) { firing_.store(firing); }
  // The timers as a schedule, for the status port's backlog figures.
  ScheduledQueue TimerQueue() const;

  const v1::HandlingPolicy& handling_policy() const { return options_.handling; }

  // Forgets client keys first used longer than key_retention ago.
  absl::StatusOr<size_t> ExpireKeys(size_t limit = 10'000) { return runner_.ExpireKeys(limit); }

 private:
  TrackingApp(TrackingAppOptions options, HandlingDecider handling);

  absl::StatusOr<std::vector<v1::Envelope>> Events(const std::string& complaint_id,
                                                   const std::string& prefix,
                                                   const std::string& end) const;

  TrackingAppOptions options_;
  SlaDecider decider_;
  HandlingDecider handling_;
  HistoryDecider history_;
  BacklogRules backlog_rules_;
  TrackingParts spec_parts_;
  SpecRunner runner_;
  std::atomic<bool> firing_{false};
};

}  // namespace complaints::tracking
