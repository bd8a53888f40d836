#pragma once
// The tracking shell. It consumes intake and dispatch events, keeps each
// complaint's view and full timeline (§4.2) and starts the SLA clock (§3.2);
// it runs the staff commands of §3.2–§5.2 through the command runner
// (answered once their events are durable, at most once per idempotency key);
// and it keeps a durable index of every complaint's running timers
// (DueTimers), written in the same batch as the views, which FireDueTimers
// fires through the deciders — the fired entry's removal and the events it
// caused in one batch, so each fires once across crashes. The consumer, the
// commands and the timers meet at the runtime's WriteGate. Thread-safe.

#include <atomic>
#include <map>
#include <vector>

#include "absl/status/statusor.h"
#include "complaints/v1/tracking.pb.h"
#include "libs/core/clock.h"
#include "libs/runner/commands.h"
#include "libs/runner/consumed_batch.h"
#include "libs/runner/scheduled_backlog.h"
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
  absl::Status Apply(const std::vector<ConsumedRecord>& records) { return applier_.Apply(records); }
  ConsumedApplier& applier() { return applier_; }

  // One page of the complaint's timeline, live or as of a time (§4.2).
  // NOT_FOUND for a complaint unknown (then); INVALID_ARGUMENT for an empty
  // or over-long id, a bad page size, token or time.
  absl::StatusOr<v1::GetComplaintResponse> GetComplaint(
      const v1::GetComplaintRequest& request) const;

  // The work queue: one page of complaints in resolve-by order that pass the
  // request's filters. INVALID_ARGUMENT naming a bad filter, size or token.
  absl::StatusOr<v1::ListComplaintsResponse> ListComplaints(
      const v1::ListComplaintsRequest& request) const;

  // Staff commands (tracking.proto): NOT_FOUND for a complaint tracking does
  // not know, INVALID_ARGUMENT naming the field, FAILED_PRECONDITION naming
  // the state, ALREADY_EXISTS for a key used for another request.
  using Actor = v1::Actor;
  absl::StatusOr<v1::AddNoteResponse> AddNote(const v1::AddNoteRequest& request,
                                              const Actor& actor);
  absl::StatusOr<v1::RecordEvidenceResponse> RecordEvidence(
      const v1::RecordEvidenceRequest& request, const Actor& actor);
  absl::StatusOr<v1::PauseResponse> Pause(const v1::PauseRequest& request, const Actor& actor);
  absl::StatusOr<v1::ResumeResponse> Resume(const v1::ResumeRequest& request, const Actor& actor);
  absl::StatusOr<v1::RequestExtensionResponse> RequestExtension(
      const v1::RequestExtensionRequest& request, const Actor& actor);
  absl::StatusOr<v1::DecideExtensionResponse> DecideExtension(
      const v1::DecideExtensionRequest& request, const Actor& actor);
  absl::StatusOr<v1::ResolveResponse> Resolve(const v1::ResolveRequest& request,
                                              const Actor& actor);
  // §3.1 resolves every complaint of an incident in hand (tracking_incidents.cc).
  absl::StatusOr<v1::ResolveIncidentResponse> ResolveIncident(
      const v1::ResolveIncidentRequest& request, const Actor& actor);
  absl::StatusOr<v1::RecordCommunicationResponse> RecordCommunication(
      const v1::RecordCommunicationRequest& request, const Actor& actor);
  absl::StatusOr<v1::RecordFollowUpResponse> RecordFollowUp(
      const v1::RecordFollowUpRequest& request, const Actor& actor);
  absl::StatusOr<v1::RecordLongTermCheckResponse> RecordLongTermCheck(
      const v1::RecordLongTermCheckRequest& request, const Actor& actor);
  absl::StatusOr<v1::RecordFeedbackResponse> RecordFeedback(
      const v1::RecordFeedbackRequest& request, const Actor& actor);

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

  // Checks key and id, then runs `command(now)` through `decider` as the
  // staff command `name`.
  template <typename Response, typename Decider, typename MakeCommand>
  absl::StatusOr<Response> Run(absl::string_view name, const google::protobuf::Message& request,
                               const std::string& key, const std::string& complaint_id,
                               const Actor& actor, const Decider& decider, MakeCommand command);
  // Stages the changes of the due-timer index between two states of a view.
  void IndexTimers(Batch& batch, const v1::ComplaintView& loaded,
                   const v1::ComplaintView& saved) const;
  // Stages the changes of the work-queue index between two states of a view.
  void IndexQueue(Batch& batch, const v1::ComplaintView& loaded,
                  const v1::ComplaintView& saved) const;
  // §4.2 enters the complaint of `event` in its department's backlog when it
  // joins one (backlog.h): its slot from the department's tally, the tally
  // counted and staged in the unit. `tallies` caches them for one batch.
  absl::Status EnterBacklogOf(UnitOfWork& unit, const v1::Envelope& event, absl::Time now,
                              std::map<std::string, v1::BacklogTally>& tallies);
  // Sends each department's backlog summary that is due; returns how many.
  absl::StatusOr<size_t> SendBacklogSummaries(absl::Time now);
  // Fires one due timer entry; a decider refusal fires it as nothing.
  absl::Status Fire(const std::string& key, absl::Time now);
  absl::StatusOr<std::vector<v1::Envelope>> Events(const std::string& complaint_id,
                                                   const std::string& prefix,
                                                   const std::string& end) const;

  TrackingAppOptions options_;
  SlaDecider decider_;
  HandlingDecider handling_;
  HistoryDecider history_;
  BacklogRules backlog_rules_;
  std::vector<CommandKind> kinds_;  // one per staff RPC; each answers a CommandOutcome
  CommandRunner runner_;
  ConsumedApplier applier_;
  std::atomic<bool> firing_{false};
};

}  // namespace complaints::tracking
