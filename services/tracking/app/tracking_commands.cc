// The staff commands of §3.2–§5.2: check the request at the edge, then run
// the decider through the command runner.
#include "libs/complaint/input.h"
#include "libs/core/status_macros.h"
#include "libs/runner/staff_commands.h"
#include "libs/runner/topics.h"
#include "libs/security/access_policy.h"
#include "services/tracking/app/tracking_app.h"

namespace complaints::tracking {
namespace {

absl::StatusOr<std::string> Text(absl::string_view field, const std::string& text, bool required) {
  return CleanFreeText(field, text, kMaxReasonChars, required);
}

}  // namespace

template <typename Response, typename Decider, typename MakeCommand>
absl::StatusOr<Response> TrackingApp::Run(absl::string_view name,
                                          const google::protobuf::Message& request,
                                          const std::string& key, const std::string& complaint_id,
                                          const Actor& actor, const Decider& decider,
                                          MakeCommand command) {
  Response response;
  RETURN_IF_ERROR(RunStaffCommand(
      runner_, kinds_, name, request, key, complaint_id, actor, CheckHoldingOf,
      *options_.parts.clock,
      [&](UnitOfWork& unit, const EventContext& context, absl::Time now) {
        return RunDecider(unit, decider, command(now), complaint_id, v1::WRITER_TRACKING,
                          topics::kTracking, context)
            .status();
      },
      response.mutable_outcome()));
  return response;
}

absl::StatusOr<v1::AddNoteResponse> TrackingApp::AddNote(const v1::AddNoteRequest& request,
                                                         const Actor& actor) {
  ASSIGN_OR_RETURN(std::string text, Text("text", request.text(), true));
  return Run<v1::AddNoteResponse>("AddNote", request, request.idempotency_key(),
                                  request.complaint_id(), actor, handling_, [&](absl::Time now) {
                                    return tracking::AddNote{request.complaint_id(), text, now};
                                  });
}

absl::StatusOr<v1::RecordEvidenceResponse> TrackingApp::RecordEvidence(
    const v1::RecordEvidenceRequest& request, const Actor& actor) {
  ASSIGN_OR_RETURN(v1::Attachment attachment, CleanAttachment("attachment", request.attachment()));
  ASSIGN_OR_RETURN(std::string description, Text("description", request.description(), false));
  return Run<v1::RecordEvidenceResponse>(
      "RecordEvidence", request, request.idempotency_key(), request.complaint_id(), actor,
      handling_, [&](absl::Time now) {
        return CollectEvidence{request.complaint_id(), attachment, description, now};
      });
}

absl::StatusOr<v1::PauseResponse> TrackingApp::Pause(const v1::PauseRequest& request,
                                                     const Actor& actor) {
  ASSIGN_OR_RETURN(std::string reason, Text("reason", request.reason(), true));
  return Run<v1::PauseResponse>("Pause", request, request.idempotency_key(), request.complaint_id(),
                                actor, decider_, [&](absl::Time now) {
                                  return PauseClock{request.complaint_id(), now, reason};
                                });
}

absl::StatusOr<v1::ResumeResponse> TrackingApp::Resume(const v1::ResumeRequest& request,
                                                       const Actor& actor) {
  return Run<v1::ResumeResponse>("Resume", request, request.idempotency_key(),
                                 request.complaint_id(), actor, decider_, [&](absl::Time now) {
                                   return ResumeClock{request.complaint_id(), now};
                                 });
}

absl::StatusOr<v1::RequestExtensionResponse> TrackingApp::RequestExtension(
    const v1::RequestExtensionRequest& request, const Actor& actor) {
  if (!v1::SlaTarget_IsValid(request.target())) return InvalidField("target", "unknown target");
  ASSIGN_OR_RETURN(std::string reason, Text("reason", request.reason(), true));
  return Run<v1::RequestExtensionResponse>(
      "RequestExtension", request, request.idempotency_key(), request.complaint_id(), actor,
      handling_, [&](absl::Time now) {
        return tracking::RequestExtension{request.complaint_id(), request.target(),
                                          request.extra_minutes(), reason, now};
      });
}

absl::StatusOr<v1::DecideExtensionResponse> TrackingApp::DecideExtension(
    const v1::DecideExtensionRequest& request, const Actor& actor) {
  ASSIGN_OR_RETURN(std::string note, Text("note", request.note(), true));
  ASSIGN_OR_RETURN(std::string message,
                   Text("complainant_message", request.complainant_message(), true));
  return Run<v1::DecideExtensionResponse>(
      "DecideExtension", request, request.idempotency_key(), request.complaint_id(), actor,
      handling_, [&](absl::Time now) {
        return tracking::DecideExtension{request.complaint_id(), request.approve(), note, message,
                                         now};
      });
}

absl::StatusOr<v1::ResolveResponse> TrackingApp::Resolve(const v1::ResolveRequest& request,
                                                         const Actor& actor) {
  ASSIGN_OR_RETURN(std::string outcome, Text("outcome", request.outcome(), true));
  ASSIGN_OR_RETURN(std::string solution, Text("solution", request.solution(), true));
  ASSIGN_OR_RETURN(std::string prevention, Text("prevention", request.prevention(), true));
  return Run<v1::ResolveResponse>(
      "Resolve", request, request.idempotency_key(), request.complaint_id(), actor, handling_,
      [&](absl::Time now) {
        return tracking::Resolve{request.complaint_id(), outcome, solution, prevention, now};
      });
}

absl::StatusOr<v1::RecordCommunicationResponse> TrackingApp::RecordCommunication(
    const v1::RecordCommunicationRequest& request, const Actor& actor) {
  if (!v1::Channel_IsValid(request.channel()) || request.channel() == v1::CHANNEL_UNSPECIFIED) {
    return InvalidField("channel", "required: how the result was told");
  }
  ASSIGN_OR_RETURN(std::string response,
                   Text("complainant_response", request.complainant_response(), false));
  return Run<v1::RecordCommunicationResponse>(
      "RecordCommunication", request, request.idempotency_key(), request.complaint_id(), actor,
      handling_, [&](absl::Time now) {
        return CommunicateResult{request.complaint_id(), request.channel(), response, now};
      });
}

absl::StatusOr<v1::RecordFollowUpResponse> TrackingApp::RecordFollowUp(
    const v1::RecordFollowUpRequest& request, const Actor& actor) {
  if (request.satisfaction() < 1 || request.satisfaction() > 5) {
    return InvalidField("satisfaction", "1 to 5");
  }
  ASSIGN_OR_RETURN(std::string comments, Text("comments", request.comments(), false));
  return Run<v1::RecordFollowUpResponse>(
      "RecordFollowUp", request, request.idempotency_key(), request.complaint_id(), actor,
      handling_, [&](absl::Time now) {
        return tracking::RecordFollowUp{request.complaint_id(), request.satisfaction(), comments,
                                        now};
      });
}

absl::StatusOr<v1::RecordLongTermCheckResponse> TrackingApp::RecordLongTermCheck(
    const v1::RecordLongTermCheckRequest& request, const Actor& actor) {
  ASSIGN_OR_RETURN(std::string note, Text("note", request.note(), true));
  return Run<v1::RecordLongTermCheckResponse>(
      "RecordLongTermCheck", request, request.idempotency_key(), request.complaint_id(), actor,
      handling_, [&](absl::Time now) {
        return tracking::RecordLongTermCheck{request.complaint_id(), request.recurred(), note, now};
      });
}

absl::StatusOr<v1::RecordFeedbackResponse> TrackingApp::RecordFeedback(
    const v1::RecordFeedbackRequest& request, const Actor& actor) {
  if (request.kind() != "opinion" && request.kind() != "suggestion") {
    return InvalidField("kind", "opinion or suggestion");
  }
  ASSIGN_OR_RETURN(std::string text, Text("text", request.text(), true));
  return Run<v1::RecordFeedbackResponse>(
      "RecordFeedback", request, request.idempotency_key(), request.complaint_id(), actor,
      handling_, [&](absl::Time now) {
        return tracking::RecordFeedback{request.complaint_id(), request.kind(), text, now};
      });
}

}  // namespace complaints::tracking
