#include "libs/complaint/view.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "libs/complaint/scheduled_timers.h"

namespace complaints {
namespace {

// Several events answering one cause are noted once.
void NoteCause(google::protobuf::RepeatedPtrField<std::string>& causes, const std::string& cause) {
  if (cause.empty()) return;
  for (const std::string& noted : causes) {
    if (noted == cause) return;
  }
  *causes.Add() = cause;
}

// A DeadlinesSet replaces the targets and timers; the clock's start and pauses stay.
void EvolveDeadlines(v1::TrackingState& tracking, const v1::DeadlinesSet& deadlines,
                     ViewParts parts) {
  *tracking.mutable_respond_by() = deadlines.respond_by();
  *tracking.mutable_resolve_by() = deadlines.resolve_by();
  v1::SlaState& sla = *tracking.mutable_sla();
  *sla.mutable_policy() = deadlines.policy();
  sla.set_priority(deadlines.priority());
  sla.set_complexity(deadlines.complexity());
  if (!sla.has_started_at() && deadlines.has_clock_started_at()) {
    *sla.mutable_started_at() = deadlines.clock_started_at();
  }
  if (parts == ViewParts::kWhole) {
    SetScheduled(sla, deadlines.timers());
  } else {
    ClearScheduled(sla);  // as an earlier release may have stored them
  }
  if (deadlines.backlog()) sla.set_backlog(true);
  if (tracking.handling().status() == v1::HANDLING_STATUS_UNSPECIFIED) {
    tracking.mutable_handling()->set_status(v1::HANDLING_STATUS_OPEN);
  }
}

// §3.3–§5.2: the handling record; only tracking's events reach here.
void EvolveHandling(v1::TrackingState& tracking, const v1::Envelope& event) {
  v1::HandlingState& handling = *tracking.mutable_handling();
  switch (event.payload_case()) {
    case v1::Envelope::kNoteAdded:
      handling.set_notes(handling.notes() + 1);
      break;
    case v1::Envelope::kEvidenceCollected:
      handling.set_evidence(handling.evidence() + 1);
      break;
    case v1::Envelope::kExtensionRequested:
      handling.set_pending_extension(event.extension_requested().target());
      handling.set_pending_extension_minutes(event.extension_requested().extra_minutes());
      break;
    case v1::Envelope::kExtensionDecided: {
      const v1::ExtensionDecided& decided = event.extension_decided();
      handling.clear_pending_extension();
      handling.clear_pending_extension_minutes();
      if (decided.approved()) {
        (*tracking.mutable_sla()->mutable_extension_minutes())[decided.target()] +=
            decided.extra_minutes();
      }
      *handling.mutable_last_news_at() = event.occurred_at();
      break;
    }
    case v1::Envelope::kResolved:
      handling.set_status(v1::HANDLING_STATUS_RESOLVED);
      *handling.mutable_resolved_at() = event.occurred_at();
      break;
    case v1::Envelope::kResultCommunicated:
      handling.set_status(v1::HANDLING_STATUS_COMMUNICATED);
      *handling.mutable_communicated_at() = event.occurred_at();
      *handling.mutable_last_news_at() = event.occurred_at();
      break;
    case v1::Envelope::kFollowUpRecorded:
      handling.set_satisfaction(event.follow_up_recorded().satisfaction());
      break;
    case v1::Envelope::kLongTermCheckDue:
      handling.set_long_term_check_due(true);
      break;
    case v1::Envelope::kLongTermCheckRecorded:
      handling.set_long_term_checked(true);
      handling.set_recurred(event.long_term_check_recorded().recurred());
      break;
    case v1::Envelope::kReopened: {
      const int32_t rounds = event.reopened().round();
      const google::protobuf::Timestamp last_news = event.occurred_at();
      handling.Clear();
      handling.set_status(v1::HANDLING_STATUS_OPEN);
      handling.set_reopen_rounds(rounds);
      *handling.mutable_last_news_at() = last_news;
      // A new handling round: a new clock follows in the next DeadlinesSet.
      v1::SlaState& sla = *tracking.mutable_sla();
      sla.clear_started_at();
      sla.clear_pauses();
      ClearScheduled(sla);
      sla.clear_extension_minutes();
      break;
    }
    case v1::Envelope::kClosed:
      handling.set_status(v1::HANDLING_STATUS_CLOSED);
      *handling.mutable_closed_at() = event.occurred_at();
      break;
    case v1::Envelope::kArchived:
      handling.set_status(v1::HANDLING_STATUS_ARCHIVED);
      break;
    case v1::Envelope::kStatusReported:
      *handling.mutable_last_news_at() = event.occurred_at();
      break;
    default:
      break;
  }
}

}  // namespace

bool Imported(const v1::ComplaintView& view) { return view.intake().has_history(); }

bool ImportedClosed(const v1::ComplaintView& view) {
  return Imported(view) && view.intake().history().closed();
}

v1::SlaVerdict SlaVerdictOf(const v1::ComplaintView& view) {
  const v1::TrackingState& tracking = view.tracking();
  for (const std::string& fired : tracking.sla().fired_timer_ids()) {
    if (absl::StartsWith(fired, "SLA_TARGET_RESOLVE/breach@")) return v1::SLA_VERDICT_OVERDUE;
  }
  const v1::HandlingState& handling = tracking.handling();
  if (!handling.has_resolved_at() || handling.status() == v1::HANDLING_STATUS_OPEN ||
      handling.status() == v1::HANDLING_STATUS_UNSPECIFIED) {
    return v1::SLA_VERDICT_UNSPECIFIED;
  }
  return tracking.resolve_by().seconds() > 0 ? v1::SLA_VERDICT_ON_TIME : v1::SLA_VERDICT_NO_TARGET;
}

google::protobuf::Timestamp ClockStart(const v1::ComplaintView& view) {
  if (Imported(view) && !ImportedClosed(view)) return view.intake().history().imported_at();
  return view.intake().has_recorded_at() ? view.intake().recorded_at()
                                         : view.intake().received_at();
}

int64_t AppliedSequence(const v1::ComplaintView& view, v1::Writer writer) {
  switch (writer) {
    case v1::WRITER_INTAKE:
      return view.intake().applied_sequence();
    case v1::WRITER_DISPATCH:
      return view.dispatch().applied_sequence();
    case v1::WRITER_TRACKING:
      return view.tracking().applied_sequence();
    case v1::WRITER_ANALYTICS:
      return view.analytics().applied_sequence();
    default:
      return 0;
  }
}

std::string ChainHead(const v1::ComplaintView& view, v1::Writer writer) {
  switch (writer) {
    case v1::WRITER_INTAKE:
      return view.intake_chain();
    case v1::WRITER_DISPATCH:
      return view.dispatch_chain();
    case v1::WRITER_TRACKING:
      return view.tracking_chain();
    case v1::WRITER_ANALYTICS:
      return view.analytics_chain();
    default:
      return "";
  }
}

void SetChainHead(v1::ComplaintView& view, v1::Writer writer, const std::string& chain) {
  switch (writer) {
    case v1::WRITER_INTAKE:
      view.set_intake_chain(chain);
      break;
    case v1::WRITER_DISPATCH:
      view.set_dispatch_chain(chain);
      break;
    case v1::WRITER_TRACKING:
      view.set_tracking_chain(chain);
      break;
    case v1::WRITER_ANALYTICS:
      view.set_analytics_chain(chain);
      break;
    default:
      break;
  }
}

bool AlreadyApplied(const v1::ComplaintView& view, const v1::Envelope& event) {
  return event.sequence() <= AppliedSequence(view, event.writer());
}

void EvolveInPlace(v1::ComplaintView& view, const v1::Envelope& event, ViewParts parts) {
  if (AlreadyApplied(view, event)) return;
  view.set_complaint_id(event.complaint_id());
  if (!event.chain().empty()) SetChainHead(view, event.writer(), event.chain());
  switch (event.payload_case()) {
    case v1::Envelope::kReceived: {
      v1::IntakeState& intake = *view.mutable_intake();
      intake.set_received(true);
      intake.set_channel(event.received().channel());
      *intake.mutable_received_at() = event.occurred_at();
      if (event.has_recorded_at()) *intake.mutable_recorded_at() = event.recorded_at();
      *intake.mutable_location() = event.received().location();
      // Sealed submissions carry the matter only redacted; older ones in clear.
      intake.set_content(event.received().has_personal() ? event.received().redacted_content()
                                                         : event.received().content());
      intake.set_subject_id(event.received().subject_id());
      intake.set_key_id(event.received().personal().key_id());
      intake.set_attachments(event.received().attachments_size());
      if (event.received().has_history()) *intake.mutable_history() = event.received().history();
      break;
    }
    case v1::Envelope::kClassified:
      view.mutable_intake()->set_category(event.classified().category());
      view.mutable_intake()->set_priority(event.classified().priority());
      view.mutable_intake()->set_complexity(event.classified().complexity());
      view.mutable_intake()->set_impact_scope(event.classified().impact_scope());
      view.mutable_intake()->set_possible_life_safety(event.classified().possible_life_safety());
      break;
    case v1::Envelope::kEvidenceAttached:
      view.mutable_intake()->set_attachments(view.intake().attachments() + 1);
      break;
    case v1::Envelope::kErasureRequested:
      view.mutable_intake()->set_erasure_requested(true);
      break;
    case v1::Envelope::kWithdrawn:
      view.mutable_intake()->set_withdrawn(true);
      break;
    case v1::Envelope::kNotificationDelivery: {
      const v1::NotificationDelivery& delivery = event.notification_delivery();
      if (delivery.outcome() != v1::DELIVERY_OUTCOME_RETRYING) {
        view.mutable_intake()->add_notifications_done(delivery.notification_id());
      }
      break;
    }
    case v1::Envelope::kReclassified:
      view.mutable_intake()->set_category(event.reclassified().category());
      view.mutable_intake()->set_priority(event.reclassified().priority());
      view.mutable_intake()->set_complexity(event.reclassified().complexity());
      break;
    case v1::Envelope::kAssigned:
      view.mutable_dispatch()->set_department(event.assigned().department());
      view.mutable_dispatch()->set_handler(event.assigned().handler());
      view.mutable_dispatch()->set_team(event.assigned().team());
      view.mutable_dispatch()->set_accepted(false);
      break;
    case v1::Envelope::kTransferred:
      view.mutable_dispatch()->set_department(event.transferred().to_department());
      view.mutable_dispatch()->set_handler(event.transferred().to_handler());
      view.mutable_dispatch()->set_hops(event.transferred().hop());
      view.mutable_dispatch()->set_accepted(false);
      break;
    case v1::Envelope::kAssignmentRejected:
      view.mutable_dispatch()->add_rejected_by(event.assignment_rejected().department());
      break;
    case v1::Envelope::kAssignmentAccepted:
      view.mutable_dispatch()->set_accepted(true);
      if (!view.dispatch().has_first_accepted_at()) {
        *view.mutable_dispatch()->mutable_first_accepted_at() = event.occurred_at();
      }
      break;
    case v1::Envelope::kReceiverBriefed:
    case v1::Envelope::kReceiverNotified:
    case v1::Envelope::kPersonalDataRead:
      break;
    case v1::Envelope::kNoteAdded:
    case v1::Envelope::kEvidenceCollected:
    case v1::Envelope::kExtensionRequested:
    case v1::Envelope::kExtensionDecided:
    case v1::Envelope::kResolved:
    case v1::Envelope::kResultCommunicated:
    case v1::Envelope::kFollowUpRecorded:
    case v1::Envelope::kLongTermCheckDue:
    case v1::Envelope::kLongTermCheckRecorded:
    case v1::Envelope::kReopened:
    case v1::Envelope::kClosed:
    case v1::Envelope::kArchived:
    case v1::Envelope::kStatusReported:
    case v1::Envelope::kFeedbackRecorded:
      EvolveHandling(*view.mutable_tracking(), event);
      break;
    case v1::Envelope::kDeadlinesSet:
      EvolveDeadlines(*view.mutable_tracking(), event.deadlines_set(), parts);
      break;
    // §3.1 one matter: each side of a link holds the other.
    case v1::Envelope::kDuplicateLinked: {
      const v1::DuplicateLinked& link = event.duplicate_linked();
      v1::HandlingState& handling = *view.mutable_tracking()->mutable_handling();
      if (link.duplicate_id() == view.complaint_id()) {
        handling.set_duplicate_of(link.primary_id());
      } else {
        handling.add_duplicates(link.duplicate_id());
      }
      break;
    }
    case v1::Envelope::kDuplicateUnlinked: {
      const v1::DuplicateUnlinked& link = event.duplicate_unlinked();
      v1::HandlingState& handling = *view.mutable_tracking()->mutable_handling();
      if (link.duplicate_id() == view.complaint_id()) {
        handling.clear_duplicate_of();
      } else {
        auto* duplicates = handling.mutable_duplicates();
        duplicates->erase(std::remove(duplicates->begin(), duplicates->end(), link.duplicate_id()),
                          duplicates->end());
      }
      break;
    }
    case v1::Envelope::kCallbackScheduled: {
      v1::VerificationState& verification = *view.mutable_intake()->mutable_verification();
      *verification.mutable_callback_due_at() = event.callback_scheduled().due_at();
      verification.set_dispatch_before_verification(
          event.callback_scheduled().dispatch_before_verification());
      break;
    }
    case v1::Envelope::kCallbackUnanswered:
      view.mutable_intake()->mutable_verification()->set_unanswered_attempts(
          event.callback_unanswered().attempt());
      break;
    case v1::Envelope::kVerificationRecorded: {
      v1::VerificationState& verification = *view.mutable_intake()->mutable_verification();
      verification.set_outcome(event.verification_recorded().outcome());
      verification.set_explanation(event.verification_recorded().explanation());
      break;
    }
    case v1::Envelope::kClockPaused: {
      v1::PauseSpan& pause = *view.mutable_tracking()->mutable_sla()->add_pauses();
      *pause.mutable_from() = event.occurred_at();
      break;
    }
    case v1::Envelope::kClockResumed: {
      auto& pauses = *view.mutable_tracking()->mutable_sla()->mutable_pauses();
      if (!pauses.empty()) *pauses.rbegin()->mutable_to() = event.occurred_at();
      break;
    }
    case v1::Envelope::kDeadlineWarning:
      view.mutable_tracking()->mutable_sla()->add_fired_timer_ids(
          event.deadline_warning().timer_id());
      break;
    case v1::Envelope::kDeadlineBreached:
      view.mutable_tracking()->mutable_sla()->add_fired_timer_ids(
          event.deadline_breached().timer_id());
      break;
    case v1::Envelope::kEscalated:
      view.mutable_tracking()->mutable_sla()->add_fired_timer_ids(event.escalated().timer_id());
      break;
    case v1::Envelope::kBacklogEntered: {
      v1::SlaState& sla = *view.mutable_tracking()->mutable_sla();
      sla.set_backlog_department(event.backlog_entered().department());
      if (parts != ViewParts::kWhole) {
        sla.clear_backlog_timers();  // as an earlier release may have stored them
        break;
      }
      *sla.mutable_backlog_timers() = event.backlog_entered().timers();
      AddScheduled(sla, event.backlog_entered().timers());
      break;
    }
    case v1::Envelope::kIncidentDetected: {
      v1::AnalyticsState& analytics = *view.mutable_analytics();
      analytics.set_incident_id(event.incident_detected().incident_id());
      analytics.set_incident_size(event.incident_detected().complaint_ids_size());
      *analytics.mutable_incident_first_occurred_at() =
          event.incident_detected().first_occurred_at();
      break;
    }
    case v1::Envelope::kIncidentGrown:
      view.mutable_analytics()->set_incident_id(event.incident_grown().incident_id());
      view.mutable_analytics()->set_incident_size(event.incident_grown().size());
      break;
    case v1::Envelope::PAYLOAD_NOT_SET:
      break;
  }
  switch (event.writer()) {
    case v1::WRITER_INTAKE:
      view.mutable_intake()->set_applied_sequence(event.sequence());
      break;
    case v1::WRITER_DISPATCH:
      view.mutable_dispatch()->set_applied_sequence(event.sequence());
      NoteCause(*view.mutable_dispatch()->mutable_caused_by(), event.causation_id());
      break;
    case v1::WRITER_TRACKING:
      view.mutable_tracking()->set_applied_sequence(event.sequence());
      NoteCause(*view.mutable_tracking()->mutable_caused_by(), event.causation_id());
      break;
    case v1::WRITER_ANALYTICS:
      view.mutable_analytics()->set_applied_sequence(event.sequence());
      NoteCause(*view.mutable_analytics()->mutable_caused_by(), event.causation_id());
      break;
    default:
      break;
  }
}

v1::ComplaintView Evolve(v1::ComplaintView view, const v1::Envelope& event) {
  EvolveInPlace(view, event);
  return view;
}

bool Answered(const v1::ComplaintView& view, v1::Writer writer, absl::string_view event_id) {
  const auto* causes = writer == v1::WRITER_DISPATCH    ? &view.dispatch().caused_by()
                       : writer == v1::WRITER_TRACKING  ? &view.tracking().caused_by()
                       : writer == v1::WRITER_ANALYTICS ? &view.analytics().caused_by()
                                                        : nullptr;
  if (causes == nullptr) return false;
  for (const std::string& cause : *causes) {
    if (cause == event_id) return true;
  }
  return false;
}

}  // namespace complaints
