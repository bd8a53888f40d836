#include "tools/complaintctl/format.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "libs/complaint/labels.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "libs/runner/staff_commands.h"

namespace complaints::ctl {
namespace {

std::string Describe(const v1::Envelope& event) {
  switch (event.payload_case()) {
    case v1::Envelope::kReceived:
      return absl::StrCat("received via ", v1::Channel_Name(event.received().channel()), ": ",
                          event.received().has_personal() ? event.received().redacted_content()
                                                          : event.received().content());
    case v1::Envelope::kClassified:
      return absl::StrCat("classified ", event.classified().category(), " ",
                          PriorityLabel(event.classified().priority()), ": ",
                          event.classified().explanation());
    case v1::Envelope::kAssigned:
      return absl::StrCat("assigned to ", event.assigned().department(), ": ",
                          event.assigned().reason());
    case v1::Envelope::kDeadlinesSet:
      return absl::StrCat("deadlines: respond by ", TimeOrNone(event.deadlines_set().respond_by()),
                          ", resolve by ", TimeOrNone(event.deadlines_set().resolve_by()),
                          " (policy ", event.deadlines_set().policy().id(), ")");
    case v1::Envelope::kReclassified:
      return absl::StrCat("reclassified ", event.reclassified().category(), " ",
                          PriorityLabel(event.reclassified().priority()), ": ",
                          event.reclassified().reason());
    case v1::Envelope::kCallbackScheduled:
      return absl::StrCat("call-back due by ", TimeOrNone(event.callback_scheduled().due_at()));
    case v1::Envelope::kCallbackUnanswered:
      return absl::StrCat("call-back attempt ", event.callback_unanswered().attempt(),
                          " unanswered");
    case v1::Envelope::kVerificationRecorded:
      return absl::StrCat(
          "verified: ", v1::VerificationOutcome_Name(event.verification_recorded().outcome()),
          " — ", event.verification_recorded().explanation());
    case v1::Envelope::kTransferred:
      return absl::StrCat(
          "transferred from ", event.transferred().from_department(), " to ",
          event.transferred().to_department(),
          event.transferred().to_handler().empty() ? "" : "/" + event.transferred().to_handler(),
          ": ", event.transferred().reason());
    case v1::Envelope::kAssignmentRejected:
      return absl::StrCat("rejected by ", event.assignment_rejected().department(), ": ",
                          event.assignment_rejected().reason());
    case v1::Envelope::kAssignmentAccepted:
      return absl::StrCat("accepted by ", event.assignment_accepted().department(),
                          event.assignment_accepted().handler().empty()
                              ? ""
                              : "/" + event.assignment_accepted().handler());
    case v1::Envelope::kReceiverBriefed:
      return absl::StrCat("briefing sent to ", event.receiver_briefed().department(),
                          event.receiver_briefed().handler().empty()
                              ? ""
                              : "/" + event.receiver_briefed().handler());
    case v1::Envelope::kEvidenceAttached:
      return absl::StrCat("evidence attached: ", event.evidence_attached().attachment().name());
    case v1::Envelope::kErasureRequested:
      return absl::StrCat("personal data erased (", event.erasure_requested().erased_key_ids_size(),
                          " data keys destroyed)");
    case v1::Envelope::kPersonalDataRead:
      return absl::StrCat(event.personal_data_read().export_() ? "personal data exported: "
                                                               : "personal data read: ",
                          absl::StrJoin(event.personal_data_read().fields(), ", "), " (",
                          event.personal_data_read().reason(), ")");
    case v1::Envelope::kWithdrawn:
      return absl::StrCat("withdrawn by the complainant: ", event.withdrawn().reason());
    case v1::Envelope::kIncidentDetected:
      return absl::StrCat("incident ", event.incident_detected().incident_id(),
                          " detected: ", event.incident_detected().complaint_ids_size(), " ",
                          event.incident_detected().category(), " complaints at one place");
    case v1::Envelope::kIncidentGrown:
      return absl::StrCat("joined incident ", event.incident_grown().incident_id(), " (",
                          event.incident_grown().size(), " complaints)");
    case v1::Envelope::kNoteAdded:
      return absl::StrCat("note: ", event.note_added().text());
    case v1::Envelope::kEvidenceCollected:
      return absl::StrCat("evidence: ", event.evidence_collected().attachment().name(), " — ",
                          event.evidence_collected().description());
    case v1::Envelope::kExtensionRequested:
      return absl::StrCat("extension of ", v1::SlaTarget_Name(event.extension_requested().target()),
                          " by ", event.extension_requested().extra_minutes(),
                          " min asked: ", event.extension_requested().reason());
    case v1::Envelope::kExtensionDecided:
      return absl::StrCat("extension ",
                          event.extension_decided().approved() ? "approved" : "refused", ": ",
                          event.extension_decided().note());
    case v1::Envelope::kResolved:
      return absl::StrCat("resolved: ", event.resolved().outcome(),
                          "; solution: ", event.resolved().solution(),
                          "; prevention: ", event.resolved().prevention());
    case v1::Envelope::kResultCommunicated:
      return absl::StrCat(
          "result told via ", v1::Channel_Name(event.result_communicated().channel()),
          event.result_communicated().complainant_response().empty()
              ? ""
              : "; response: " + event.result_communicated().complainant_response());
    case v1::Envelope::kFollowUpRecorded:
      return absl::StrCat("follow-up: satisfaction ", event.follow_up_recorded().satisfaction(),
                          "/5 ", event.follow_up_recorded().comments());
    case v1::Envelope::kLongTermCheckDue:
      return absl::StrCat("long-term check due (", event.long_term_check_due().after_days(),
                          " days after closing)");
    case v1::Envelope::kLongTermCheckRecorded:
      return absl::StrCat(
          "long-term check: ", event.long_term_check_recorded().recurred() ? "recurred" : "fixed",
          " ", event.long_term_check_recorded().note());
    case v1::Envelope::kReopened:
      return absl::StrCat("reopened (round ", event.reopened().round(),
                          "): ", event.reopened().reason());
    case v1::Envelope::kClosed:
      return absl::StrCat("closed: ", event.closed().reason());
    case v1::Envelope::kArchived:
      return "archived";
    case v1::Envelope::kReceiverNotified:
      return absl::StrCat("deadlines sent to ", event.receiver_notified().department(),
                          event.receiver_notified().handler().empty() ? "" : "/",
                          event.receiver_notified().handler());
    case v1::Envelope::kNotificationDelivery: {
      const v1::NotificationDelivery& delivery = event.notification_delivery();
      std::string line =
          absl::StrCat(EnumLabel(v1::NotificationKind_descriptor(), delivery.kind()), " by ",
                       EnumLabel(v1::NotificationChannel_descriptor(), delivery.channel()), ": ",
                       EnumLabel(v1::DeliveryOutcome_descriptor(), delivery.outcome()),
                       " (attempt ", delivery.attempt(), ")");
      if (!delivery.error().empty()) absl::StrAppend(&line, " — ", delivery.error());
      if (delivery.has_next_attempt_at()) {
        absl::StrAppend(&line, "; next attempt ", TimeOrNone(delivery.next_attempt_at()));
      }
      return line;
    }
    case v1::Envelope::kStatusReported:
      return absl::StrCat("status report: ", event.status_reported().message());
    case v1::Envelope::kFeedbackRecorded:
      return absl::StrCat(event.feedback_recorded().kind(), ": ", event.feedback_recorded().text());
    case v1::Envelope::kClockPaused:
      return absl::StrCat("clock paused: ", event.clock_paused().reason());
    case v1::Envelope::kClockResumed:
      return "clock resumed";
    case v1::Envelope::kDeadlineWarning:
      return absl::StrCat("warning: ", v1::SlaTarget_Name(event.deadline_warning().target()), " ",
                          event.deadline_warning().percent_elapsed(), "% used, due ",
                          TimeOrNone(event.deadline_warning().due_at()));
    case v1::Envelope::kDeadlineBreached:
      return absl::StrCat("breached: ", v1::SlaTarget_Name(event.deadline_breached().target()),
                          " was due ", TimeOrNone(event.deadline_breached().due_at()));
    case v1::Envelope::kEscalated:
      return absl::StrCat("escalated to level ", event.escalated().level(), " (",
                          event.escalated().role(), ") for ",
                          v1::SlaTarget_Name(event.escalated().target()));
    case v1::Envelope::kDuplicateLinked: {
      const v1::DuplicateLinked& link = event.duplicate_linked();
      return event.complaint_id() == link.duplicate_id()
                 ? absl::StrCat("linked as a duplicate of ", link.primary_id(), ": ", link.reason())
                 : absl::StrCat(link.duplicate_id(), " linked as its duplicate: ", link.reason());
    }
    case v1::Envelope::kDuplicateUnlinked: {
      const v1::DuplicateUnlinked& link = event.duplicate_unlinked();
      return event.complaint_id() == link.duplicate_id()
                 ? absl::StrCat("no longer a duplicate of ", link.primary_id(), ": ", link.reason())
                 : absl::StrCat(link.duplicate_id(), " no longer its duplicate: ", link.reason());
    }
    case v1::Envelope::kBacklogEntered: {
      const v1::BacklogEntered& entered = event.backlog_entered();
      std::string line = absl::StrCat("joined the imported backlog of ", entered.department());
      if (entered.overdue() && !entered.timers().empty()) {
        absl::StrAppend(&line, "; overdue, escalation level ", entered.level(), " held until ",
                        TimeOrNone(entered.timers(0).fire_at()));
      } else if (entered.overdue()) {
        absl::StrAppend(&line, "; overdue");
      }
      return line;
    }
    case v1::Envelope::PAYLOAD_NOT_SET:
      break;
  }
  return "unknown event";
}

}  // namespace

std::string TimeOrNone(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "none";
  return FormatRfc3339(time);
}

std::string PriorityLabel(v1::Priority priority) {
  if (priority == v1::PRIORITY_UNSPECIFIED) return "-";
  return absl::StrCat("P", static_cast<int>(priority));
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  // Every field, zero values included: a count of 0 is an answer, not a gap.
  options.always_print_primitive_fields = true;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("the answer has no JSON form: ", std::string(status.message())));
  }
  return json;
}

v1::Channel ParseChannel(const std::string& name) {
  if (name == "phone") return v1::CHANNEL_PHONE;
  if (name == "email") return v1::CHANNEL_EMAIL;
  if (name == "letter") return v1::CHANNEL_LETTER;
  if (name == "walk-in") return v1::CHANNEL_WALK_IN;
  if (name == "app") return v1::CHANNEL_APP;
  return v1::CHANNEL_UNSPECIFIED;
}

std::string FormatOutcome(const v1::CommandOutcome& outcome) {
  std::string line = absl::StrCat(EscapeForTerminal(outcome.complaint_id()), "  ",
                                  HandlingStatusLabel(outcome.status()));
  if (!outcome.department().empty()) {
    absl::StrAppend(&line, "  ", EscapeForTerminal(outcome.department()),
                    outcome.handler().empty() ? "" : "/", EscapeForTerminal(outcome.handler()));
  }
  if (outcome.has_resolve_by()) {
    absl::StrAppend(&line, "  resolve by ", TimeOrNone(outcome.resolve_by()));
  }
  if (outcome.clock_paused()) absl::StrAppend(&line, "  (clock paused)");
  if (outcome.pending_extension() != v1::SLA_TARGET_UNSPECIFIED) {
    absl::StrAppend(&line, "  (extension awaiting a decision)");
  }
  if (outcome.duplicate()) absl::StrAppend(&line, "  (already done with this key)");
  return line;
}

std::string FormatWorkItems(const v1::ListComplaintsResponse& page, bool header) {
  std::string out;
  if (header) {
    out = absl::StrFormat("%-28s %-4s %-12s %-14s %-18s %-25s %-8s %-20s %s\n", "complaint", "pri",
                          "status", "department", "handler", "resolve by", "flags", "source",
                          "content");
  }
  for (const v1::WorkItem& item : page.items()) {
    const std::string status = HandlingStatusLabel(item.status());
    std::string flags;
    if (item.breached()) flags += "B";
    if (item.escalation_level() > 0) absl::StrAppend(&flags, "E", item.escalation_level());
    if (item.clock_paused()) flags += "P";
    if (!item.incident_id().empty()) flags += "I";
    absl::StrAppend(
        &out, absl::StrFormat(
                  "%-28s %-4s %-12s %-14s %-18s %-25s %-8s %-20s %s\n",
                  EscapeForTerminal(item.complaint_id()), PriorityLabel(item.priority()), status,
                  EscapeForTerminal(item.department()),
                  item.handler().empty() ? "-" : EscapeForTerminal(item.handler()),
                  TimeOrNone(item.resolve_by()), flags.empty() ? "-" : flags,
                  item.source_id().empty() ? std::string("-")
                                           : EscapeForTerminal(absl::StrCat(item.source_system(),
                                                                            ":", item.source_id())),
                  EscapeForTerminal(item.content())));
  }
  if (page.items().empty() && header) absl::StrAppend(&out, "(none)\n");
  return out;
}

std::string FormatAssignments(const v1::ListAssignmentsResponse& page, bool header) {
  std::string out;
  if (header) {
    out = absl::StrFormat("%-28s %-4s %-14s %-18s %-9s %-25s %s\n", "complaint", "pri", "category",
                          "handler", "accepted", "resolve by", "content");
  }
  for (const v1::Assignment& a : page.assignments()) {
    absl::StrAppend(
        &out, absl::StrFormat("%-28s %-4s %-14s %-18s %-9s %-25s %s\n",
                              EscapeForTerminal(a.complaint_id()), PriorityLabel(a.priority()),
                              EscapeForTerminal(a.category()),
                              a.handler().empty() ? "-" : EscapeForTerminal(a.handler()),
                              a.accepted() ? "yes" : "no", TimeOrNone(a.resolve_by()),
                              EscapeForTerminal(a.content())));
  }
  if (page.assignments().empty() && header) absl::StrAppend(&out, "(none)\n");
  return out;
}

std::string FormatAssignmentChange(const v1::WatchAssignmentsResponse& response) {
  const v1::AssignmentChange& change = response.change();
  return absl::StrFormat(
      "%s  %-10s %-28s %s%s%s", TimeOrNone(change.recorded_at()),
      EnumLabel(v1::AssignmentChangeKind_descriptor(), change.kind()),
      EscapeForTerminal(change.complaint_id()), EscapeForTerminal(change.department()),
      change.handler().empty() ? "" : "/" + EscapeForTerminal(change.handler()),
      change.reason().empty() ? "" : "  (" + EscapeForTerminal(change.reason()) + ")");
}

std::string FormatSubmitted(const v1::SubmitComplaintResponse& response) {
  return absl::StrCat(EscapeForTerminal(response.complaint_id()), "  ",
                      EscapeForTerminal(response.category()), " ",
                      PriorityLabel(response.priority()),
                      response.duplicate() ? "  (already submitted with this key)" : "");
}

std::string FormatTimeline(const v1::GetComplaintResponse& timeline) {
  const v1::ComplaintView& view = timeline.view();
  std::string out = absl::StrCat(
      "complaint  ", EscapeForTerminal(view.complaint_id()), "\n", "category   ",
      EscapeForTerminal(view.intake().category()), " ", PriorityLabel(view.intake().priority()),
      "\n", "department ",
      view.dispatch().department().empty() ? "-" : EscapeForTerminal(view.dispatch().department()),
      "\n");
  if (view.tracking().has_resolve_by()) {
    absl::StrAppend(&out, "resolve by ", TimeOrNone(view.tracking().resolve_by()), "\n");
  }
  if (view.intake().has_history()) {
    const v1::HistoricalCase& history = view.intake().history();
    absl::StrAppend(
        &out, "source     ",
        EscapeForTerminal(absl::StrCat(history.source_system(), ":", history.source_id())),
        ", imported ", TimeOrNone(history.imported_at()));
    if (history.has_source_closed_at()) {
      absl::StrAppend(&out, "; closed there ", TimeOrNone(history.source_closed_at()),
                      ", before it was opened: recorded closed at its opening");
    }
    absl::StrAppend(&out, "\n");
  }
  if (!view.analytics().incident_id().empty()) {
    absl::StrAppend(&out, "incident   ", EscapeForTerminal(view.analytics().incident_id()), " (",
                    view.analytics().incident_size(), " complaints)\n");
  }
  absl::StrAppend(&out, "timeline\n");
  for (const v1::Envelope& event : timeline.events()) {
    absl::StrAppend(&out, "  ", TimeOrNone(event.recorded_at()), "  ",
                    absl::StrFormat("%-9s", std::string(v1::Writer_Name(event.writer()).substr(7))),
                    " ", EscapeForTerminal(Describe(event)), "\n");
  }
  return out;
}

std::string FormatAuditTrail(const v1::GetAuditTrailResponse& trail) {
  std::string out = trail.intact() ? "chains     intact\n" : "chains     BROKEN\n";
  for (const v1::ChainCheck& check : trail.checks()) {
    absl::StrAppend(&out, "  ",
                    absl::StrFormat("%-9s", std::string(v1::Writer_Name(check.writer()).substr(7))),
                    " ", check.events(), " events", check.intact() ? "" : ": ",
                    EscapeForTerminal(check.problem()), "\n");
  }
  absl::StrAppend(&out, "entries\n");
  for (const v1::Envelope& event : trail.entries()) {
    absl::StrAppend(&out, "  ", TimeOrNone(event.recorded_at()), "  ",
                    EscapeForTerminal(event.actor().id()), " (",
                    EscapeForTerminal(event.actor().role()), ")  ",
                    EscapeForTerminal(Describe(event)), "\n");
  }
  return out;
}

std::string FormatIncidentResolution(const v1::ResolveIncidentResponse& response) {
  std::string out;
  for (const v1::CommandOutcome& outcome : response.resolved()) {
    absl::StrAppend(&out, FormatOutcome(outcome));
    if (!out.empty() && out.back() != '\n') out += "\n";
  }
  for (const v1::IncidentSkip& skip : response.skipped()) {
    absl::StrAppend(&out,
                    absl::StrFormat("%s not resolved: %s\n", EscapeForTerminal(skip.complaint_id()),
                                    EscapeForTerminal(skip.reason())));
  }
  absl::StrAppend(&out, absl::StrFormat("%d resolved, %d not\n", response.resolved_size(),
                                        response.skipped_size()));
  return out;
}

std::string FormatStatus(const v1::GetStatusResponse& status) {
  std::string out = absl::StrCat(EscapeForTerminal(status.service()),
                                 status.ready() ? "  ready" : "  not ready", "\n");
  const v1::RelayStatus& relay = status.relay();
  absl::StrAppend(
      &out, "  relay      published ", relay.published(), ", outbox ", relay.outbox_depth(),
      relay.has_oldest_entry_at() ? ", oldest " + TimeOrNone(relay.oldest_entry_at()) : "",
      relay.stuck() ? ", STUCK since " + TimeOrNone(relay.stuck_since()) : "",
      relay.last_error().empty() ? "" : ", last error: " + EscapeForTerminal(relay.last_error()),
      "\n");
  if (status.has_consumer()) {
    const v1::ConsumerStatus& consumer = status.consumer();
    absl::StrAppend(&out, "  consumer   ",
                    consumer.stopped()    ? "STOPPED"
                    : consumer.assigned() ? "assigned"
                                          : "waiting",
                    ", applied ", consumer.applied_records(), ", parked ", consumer.parked(),
                    consumer.stuck() ? ", STUCK since " + TimeOrNone(consumer.stuck_since()) : "",
                    consumer.last_error().empty()
                        ? ""
                        : ", last error: " + EscapeForTerminal(consumer.last_error()),
                    "\n");
  }
  absl::StrAppend(&out, "  dead letters ", status.dead_letters());
  for (const auto& [kind, count] : status.dead_letters_by_kind()) {
    absl::StrAppend(&out, ", ", absl::StripPrefix(kind, "DEAD_LETTER_KIND_"), " ", count);
  }
  return out;
}

std::string FormatBackups(const google::protobuf::RepeatedPtrField<v1::Backup>& backups) {
  std::string out = absl::StrFormat("%-6s %-20s %12s %6s\n", "id", "taken", "bytes", "files");
  for (const v1::Backup& backup : backups) {
    absl::StrAppendFormat(&out, "%-6d %-20s %12d %6d\n", backup.id(),
                          TimeOrNone(backup.created_at()), backup.bytes(), backup.files());
  }
  if (backups.empty()) out += "(no backups)\n";
  return out;
}

std::string FormatDeadLetters(const v1::ListDeadLettersResponse& page) {
  std::string out;
  for (const v1::DeadLetter& letter : page.dead_letters()) {
    absl::StrAppend(&out, EscapeForTerminal(letter.id()), "  ",
                    absl::StripPrefix(v1::DeadLetterKind_Name(letter.kind()), "DEAD_LETTER_KIND_"),
                    "  ", TimeOrNone(letter.dead_at()), "  ", EscapeForTerminal(letter.reason()),
                    "  (", letter.payload_bytes(), " bytes)\n");
  }
  if (!page.next_page_token().empty()) {
    absl::StrAppend(&out, "more: --page_token=", EscapeForTerminal(page.next_page_token()), "\n");
  }
  return out;
}

std::string FormatDeadLetter(const v1::DeadLetter& letter) {
  const v1::RawRecord& record = letter.record();
  return absl::StrCat(
      "id        ", EscapeForTerminal(letter.id()), "\n", "kind      ",
      absl::StripPrefix(v1::DeadLetterKind_Name(letter.kind()), "DEAD_LETTER_KIND_"), "\n",
      "reason    ", EscapeForTerminal(letter.reason()), "\n", "dead at   ",
      TimeOrNone(letter.dead_at()),
      letter.retries() > 0 ? absl::StrCat(" (", letter.retries(), " retries)") : "", "\n",
      "record    ", EscapeForTerminal(record.topic()),
      record.partition() >= 0
          ? absl::StrCat(" partition ", record.partition(), " offset ", record.offset())
          : absl::StrCat(" outbox entry ", record.offset()),
      "\n", "key       ", EscapeForTerminal(record.key()), "\n", "payload   ",
      record.payload().size(), " bytes: ", EscapedPrefix(record.payload(), 120), "\n");
}

}  // namespace complaints::ctl
