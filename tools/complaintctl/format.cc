#include "tools/complaintctl/format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"
#include "libs/core/time_util.h"

namespace complaints::ctl {
namespace {

std::string Describe(const v1::Envelope& event) {
  switch (event.payload_case()) {
    case v1::Envelope::kReceived:
      return absl::StrCat("received via ", v1::Channel_Name(event.received().channel()), ": ",
                          event.received().content());
    case v1::Envelope::kClassified:
      return absl::StrCat("classified ", event.classified().category(), " ",
                          PriorityLabel(event.classified().priority()), ": ",
                          event.classified().explanation());
    case v1::Envelope::kAssigned:
      return absl::StrCat("assigned to ", event.assigned().department(), ": ",
                          event.assigned().reason());
    case v1::Envelope::kDeadlinesSet:
      return absl::StrCat("deadlines: respond by ",
                          FormatRfc3339(event.deadlines_set().respond_by()), ", resolve by ",
                          FormatRfc3339(event.deadlines_set().resolve_by()), " (policy ",
                          event.deadlines_set().policy().id(), ")");
    case v1::Envelope::kReclassified:
      return absl::StrCat("reclassified ", event.reclassified().category(), " ",
                          PriorityLabel(event.reclassified().priority()), ": ",
                          event.reclassified().reason());
    case v1::Envelope::kCallbackScheduled:
      return absl::StrCat("call-back due by ", FormatRfc3339(event.callback_scheduled().due_at()));
    case v1::Envelope::kCallbackUnanswered:
      return absl::StrCat("call-back attempt ", event.callback_unanswered().attempt(), " unanswered");
    case v1::Envelope::kVerificationRecorded:
      return absl::StrCat("verified: ", v1::VerificationOutcome_Name(event.verification_recorded().outcome()),
                          " — ", event.verification_recorded().explanation());
    case v1::Envelope::kTransferred:
      return absl::StrCat("transferred from ", event.transferred().from_department(), " to ",
                          event.transferred().to_department(),
                          event.transferred().to_handler().empty() ? "" : "/" + event.transferred().to_handler(),
                          ": ", event.transferred().reason());
    case v1::Envelope::kAssignmentRejected:
      return absl::StrCat("rejected by ", event.assignment_rejected().department(), ": ",
                          event.assignment_rejected().reason());
    case v1::Envelope::kAssignmentAccepted:
      return absl::StrCat("accepted by ", event.assignment_accepted().department(),
                          event.assignment_accepted().handler().empty() ? "" : "/" + event.assignment_accepted().handler());
    case v1::Envelope::kReceiverBriefed:
      return absl::StrCat("briefing sent to ", event.receiver_briefed().department(),
                          event.receiver_briefed().handler().empty() ? "" : "/" + event.receiver_briefed().handler());
    case v1::Envelope::kEvidenceAttached:
      return absl::StrCat("evidence attached: ", event.evidence_attached().attachment().name());
    case v1::Envelope::kErasureRequested:
      return "personal data erasure requested";
    case v1::Envelope::kNoteAdded:
      return absl::StrCat("note: ", event.note_added().text());
    case v1::Envelope::kEvidenceCollected:
      return absl::StrCat("evidence: ", event.evidence_collected().attachment().name(), " — ",
                          event.evidence_collected().description());
    case v1::Envelope::kExtensionRequested:
      return absl::StrCat("extension of ", v1::SlaTarget_Name(event.extension_requested().target()),
                          " by ", event.extension_requested().extra_minutes(), " min asked: ",
                          event.extension_requested().reason());
    case v1::Envelope::kExtensionDecided:
      return absl::StrCat("extension ", event.extension_decided().approved() ? "approved" : "refused",
                          ": ", event.extension_decided().note());
    case v1::Envelope::kResolved:
      return absl::StrCat("resolved: ", event.resolved().outcome(), "; solution: ",
                          event.resolved().solution(), "; prevention: ", event.resolved().prevention());
    case v1::Envelope::kResultCommunicated:
      return absl::StrCat("result told via ", v1::Channel_Name(event.result_communicated().channel()),
                          event.result_communicated().complainant_response().empty()
                              ? ""
                              : "; response: " + event.result_communicated().complainant_response());
    case v1::Envelope::kFollowUpRecorded:
      return absl::StrCat("follow-up: satisfaction ", event.follow_up_recorded().satisfaction(), "/5 ",
                          event.follow_up_recorded().comments());
    case v1::Envelope::kLongTermCheckRecorded:
      return absl::StrCat("long-term check: ", event.long_term_check_recorded().recurred() ? "recurred" : "fixed",
                          " ", event.long_term_check_recorded().note());
    case v1::Envelope::kReopened:
      return absl::StrCat("reopened (round ", event.reopened().round(), "): ", event.reopened().reason());
    case v1::Envelope::kClosed:
      return absl::StrCat("closed: ", event.closed().reason());
    case v1::Envelope::kArchived:
      return "archived";
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
                          FormatRfc3339(event.deadline_warning().due_at()));
    case v1::Envelope::kDeadlineBreached:
      return absl::StrCat("breached: ", v1::SlaTarget_Name(event.deadline_breached().target()),
                          " was due ", FormatRfc3339(event.deadline_breached().due_at()));
    case v1::Envelope::kEscalated:
      return absl::StrCat("escalated to level ", event.escalated().level(), " (",
                          event.escalated().role(), ") for ",
                          v1::SlaTarget_Name(event.escalated().target()));
    case v1::Envelope::PAYLOAD_NOT_SET:
      break;
  }
  return "unknown event";
}

}  // namespace

std::string PriorityLabel(v1::Priority priority) {
  if (priority == v1::PRIORITY_UNSPECIFIED) return "-";
  return absl::StrCat("P", static_cast<int>(priority));
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string FormatSubmitted(const v1::SubmitComplaintResponse& response) {
  return absl::StrCat(response.complaint_id(), "  ", response.category(), " ",
                      PriorityLabel(response.priority()),
                      response.duplicate() ? "  (already submitted with this key)" : "");
}

std::string FormatTimeline(const v1::ComplaintTimeline& timeline) {
  const v1::ComplaintView& view = timeline.view();
  std::string out = absl::StrCat(
      "complaint  ", view.complaint_id(), "\n",
      "category   ", view.intake().category(), " ", PriorityLabel(view.intake().priority()), "\n",
      "department ", view.dispatch().department().empty() ? "-" : view.dispatch().department(), "\n");
  if (view.tracking().has_resolve_by()) {
    absl::StrAppend(&out, "resolve by ", FormatRfc3339(view.tracking().resolve_by()), "\n");
  }
  absl::StrAppend(&out, "timeline\n");
  for (const v1::Envelope& event : timeline.events()) {
    absl::StrAppend(&out, "  ", FormatRfc3339(event.recorded_at()), "  ",
                    absl::StrFormat("%-9s", std::string(v1::Writer_Name(event.writer()).substr(7))),
                    " ", Describe(event), "\n");
  }
  return out;
}

std::string FormatCounts(const v1::GetCountsResponse& counts) {
  std::string out = absl::StrFormat("%-10s  %-12s  %-3s  %-16s  %6s\n", "day", "category", "pri",
                                    "department", "count");
  for (const v1::CountRow& row : counts.rows()) {
    absl::StrAppend(&out, absl::StrFormat("%-10s  %-12s  %-3s  %-16s  %6d\n", row.day(),
                                          row.category(), PriorityLabel(row.priority()),
                                          row.department(), row.count()));
  }
  absl::StrAppend(&out, absl::StrFormat("%-47s  %6d\n", "total", counts.total()));
  return out;
}

}  // namespace complaints::ctl
