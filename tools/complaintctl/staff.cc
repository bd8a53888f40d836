#include "tools/complaintctl/staff.h"

#include <unistd.h>

#include <cstdio>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "complaints/v1/dispatch.grpc.pb.h"
#include "complaints/v1/intake.grpc.pb.h"
#include "complaints/v1/tracking.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/core/clock.h"
#include "tools/complaintctl/format.h"

namespace complaints::ctl {
namespace {

using Stub = v1::TrackingService::Stub;
using DispatchStub = v1::DispatchService::Stub;
using IntakeStub = v1::IntakeService::Stub;

v1::VerificationOutcome OutcomeNamed(const std::string& name) {
  if (name == "confirmed") return v1::VERIFICATION_OUTCOME_CONFIRMED;
  if (name == "unverifiable") return v1::VERIFICATION_OUTCOME_COULD_NOT_BE_VERIFIED;
  if (name == "already-solved") return v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED;
  if (name == "withdrew") return v1::VERIFICATION_OUTCOME_COMPLAINANT_WITHDREW;
  return v1::VERIFICATION_OUTCOME_UNSPECIFIED;
}

v1::Priority PriorityNamed(const std::string& name) {
  if (name == "P1") return v1::PRIORITY_P1;
  if (name == "P2") return v1::PRIORITY_P2;
  if (name == "P3") return v1::PRIORITY_P3;
  if (name == "P4") return v1::PRIORITY_P4;
  return v1::PRIORITY_UNSPECIFIED;
}

v1::SlaTarget TargetOf(const std::string& name) {
  if (name == "respond") return v1::SLA_TARGET_RESPOND;
  if (name == "resolve") return v1::SLA_TARGET_RESOLVE;
  if (name == "communicate") return v1::SLA_TARGET_COMMUNICATE;
  if (name == "follow-up") return v1::SLA_TARGET_FOLLOW_UP;
  return v1::SLA_TARGET_UNSPECIFIED;
}

// --key, or a key unique to this run of the command on `id`.
std::string KeyFor(const std::string& command, const std::string& id, const StaffArgs& args) {
  return !args.key.empty() ? args.key
                           : absl::StrCat("complaintctl:", command, ":", id, ":",
                                          absl::ToUnixMicros(complaints::WallNow()), ":", getpid());
}

template <typename Request>
Request Keyed(const std::string& command, const std::string& complaint_id, const StaffArgs& args) {
  Request request;
  request.set_idempotency_key(KeyFor(command, complaint_id, args));
  request.set_complaint_id(complaint_id);
  return request;
}

template <typename StubType>
std::string AddressOf(const CtlOptions& options) {
  if constexpr (std::is_same_v<StubType, DispatchStub>) return options.dispatch;
  if constexpr (std::is_same_v<StubType, IntakeStub>) return options.intake;
  return options.tracking;
}

template <typename StubType, typename Request, typename Response>
int Send(const CtlOptions& options, const StaffArgs& args, const Request& request,
         grpc::Status (StubType::*method)(grpc::ClientContext*, const Request&, Response*)) {
  Response response;
  const grpc::Status status =
      Call(options, AddressOf<StubType>(options), method, request, &response);
  if (!status.ok()) return Failed(status);
  return Print(options, response, FormatOutcome(response.outcome()));
}

}  // namespace

bool IsStaffCommand(const std::string& command) {
  for (const char* name : {"note",
                           "pause",
                           "resume",
                           "extend",
                           "decide-extension",
                           "resolve",
                           "resolve-incident",
                           "link-duplicate",
                           "unlink-duplicate",
                           "communicate",
                           "follow-up",
                           "long-term-check",
                           "feedback",
                           "assign",
                           "transfer",
                           "reject",
                           "accept",
                           "verify",
                           "reclassify",
                           "request-erasure",
                           "withdraw"}) {
    if (command == name) return true;
  }
  return false;
}

int Staff(const CtlOptions& options, const std::string& command, const std::string& id,
          const StaffArgs& args) {
  if (command == "note") {
    auto request = Keyed<v1::AddNoteRequest>(command, id, args);
    request.set_text(args.text);
    return Send(options, args, request, &Stub::AddNote);
  }
  if (command == "pause") {
    auto request = Keyed<v1::PauseRequest>(command, id, args);
    request.set_reason(args.reason);
    return Send(options, args, request, &Stub::Pause);
  }
  if (command == "resume") {
    return Send(options, args, Keyed<v1::ResumeRequest>(command, id, args), &Stub::Resume);
  }
  if (command == "extend") {
    auto request = Keyed<v1::RequestExtensionRequest>(command, id, args);
    request.set_target(TargetOf(args.target));
    request.set_extra_minutes(args.minutes);
    request.set_reason(args.reason);
    return Send(options, args, request, &Stub::RequestExtension);
  }
  if (command == "decide-extension") {
    auto request = Keyed<v1::DecideExtensionRequest>(command, id, args);
    request.set_approve(!args.reject);
    request.set_note(args.note);
    request.set_complainant_message(args.message);
    return Send(options, args, request, &Stub::DecideExtension);
  }
  if (command == "resolve") {
    auto request = Keyed<v1::ResolveRequest>(command, id, args);
    request.set_outcome(args.outcome);
    request.set_solution(args.solution);
    request.set_prevention(args.prevention);
    return Send(options, args, request, &Stub::Resolve);
  }
  if (command == "resolve-incident") {
    v1::ResolveIncidentRequest request;
    request.set_idempotency_key(KeyFor(command, id, args));
    request.set_incident_id(id);
    request.set_outcome(args.outcome);
    request.set_solution(args.solution);
    request.set_prevention(args.prevention);
    v1::ResolveIncidentResponse response;
    const grpc::Status status =
        Call(options, options.tracking, &Stub::ResolveIncident, request, &response);
    if (!status.ok()) return Failed(status);
    const int printed = Print(options, response, FormatIncidentResolution(response));
    return printed != 0 ? printed : (response.skipped().empty() ? 0 : 1);
  }
  if (command == "link-duplicate") {
    auto request = Keyed<v1::LinkDuplicateRequest>(command, id, args);
    request.set_primary_id(args.primary);
    request.set_reason(args.reason);
    return Send(options, args, request, &Stub::LinkDuplicate);
  }
  if (command == "unlink-duplicate") {
    auto request = Keyed<v1::UnlinkDuplicateRequest>(command, id, args);
    request.set_reason(args.reason);
    return Send(options, args, request, &Stub::UnlinkDuplicate);
  }
  if (command == "communicate") {
    auto request = Keyed<v1::RecordCommunicationRequest>(command, id, args);
    request.set_channel(ParseChannel(args.channel));
    request.set_complainant_response(args.comments);
    return Send(options, args, request, &Stub::RecordCommunication);
  }
  if (command == "follow-up") {
    auto request = Keyed<v1::RecordFollowUpRequest>(command, id, args);
    request.set_satisfaction(args.satisfaction);
    request.set_comments(args.comments);
    return Send(options, args, request, &Stub::RecordFollowUp);
  }
  if (command == "long-term-check") {
    auto request = Keyed<v1::RecordLongTermCheckRequest>(command, id, args);
    request.set_recurred(args.recurred);
    request.set_note(args.note);
    return Send(options, args, request, &Stub::RecordLongTermCheck);
  }
  if (command == "feedback") {
    auto request = Keyed<v1::RecordFeedbackRequest>(command, id, args);
    request.set_kind(args.kind);
    request.set_text(args.text);
    return Send(options, args, request, &Stub::RecordFeedback);
  }
  if (command == "assign") {
    auto request = Keyed<v1::AssignRequest>(command, id, args);
    request.set_department(args.department);
    request.set_handler(args.handler);
    request.set_reason(args.reason);
    return Send(options, args, request, &DispatchStub::Assign);
  }
  if (command == "transfer") {
    auto request = Keyed<v1::TransferRequest>(command, id, args);
    request.set_to_department(args.department);
    request.set_to_handler(args.handler);
    request.set_reason(args.reason);
    return Send(options, args, request, &DispatchStub::Transfer);
  }
  if (command == "reject") {
    auto request = Keyed<v1::RejectRequest>(command, id, args);
    request.set_department(args.department);
    request.set_reason(args.reason);
    return Send(options, args, request, &DispatchStub::Reject);
  }
  if (command == "verify") {
    auto request = Keyed<v1::RecordVerificationRequest>(command, id, args);
    request.set_unanswered(args.unanswered);
    if (!args.unanswered) request.set_outcome(OutcomeNamed(args.outcome));
    request.set_explanation(args.note);
    return Send(options, args, request, &IntakeStub::RecordVerification);
  }
  if (command == "reclassify") {
    auto request = Keyed<v1::ReclassifyRequest>(command, id, args);
    request.set_category(args.category);
    request.set_priority(PriorityNamed(args.priority));
    request.set_reason(args.reason);
    return Send(options, args, request, &IntakeStub::Reclassify);
  }
  if (command == "request-erasure") {
    auto request = Keyed<v1::RequestErasureRequest>(command, id, args);
    request.set_reason(args.reason);
    return Send(options, args, request, &IntakeStub::RequestErasure);
  }
  if (command == "withdraw") {
    auto request = Keyed<v1::WithdrawRequest>(command, id, args);
    request.set_reason(args.reason);
    return Send(options, args, request, &IntakeStub::Withdraw);
  }
  if (command == "accept") {
    return Send(options, args, Keyed<v1::AcceptRequest>(command, id, args), &DispatchStub::Accept);
  }
  std::fprintf(stderr, "error: %s is not a staff command\n", command.c_str());
  return 2;
}

int ListQueue(const CtlOptions& options, const v1::ListComplaintsRequest& first) {
  auto stub = v1::TrackingService::NewStub(Channel(options, options.tracking));
  v1::ListComplaintsRequest request = first;
  if (request.page_size() == 0) request.set_page_size(500);
  int failures = 0;
  bool header = !options.json;
  do {
    grpc::ClientContext context;
    Prepare(context, options);
    v1::ListComplaintsResponse page;
    grpc::Status status = stub->ListComplaints(&context, request, &page);
    if (!status.ok()) return Failed(status);
    failures += Print(options, page, FormatWorkItems(page, header));
    header = false;
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return failures == 0 ? 0 : 1;
}

int Assignments(const CtlOptions& options, const std::string& department,
                const std::string& handler, bool include_closed) {
  auto stub = v1::DispatchService::NewStub(Channel(options, options.dispatch));
  v1::ListAssignmentsRequest request;
  request.set_department(department);
  request.set_handler(handler);
  request.set_include_closed(include_closed);
  request.set_page_size(500);
  int failures = 0;
  bool header = !options.json;
  do {
    grpc::ClientContext context;
    Prepare(context, options);
    v1::ListAssignmentsResponse page;
    grpc::Status status = stub->ListAssignments(&context, request, &page);
    if (!status.ok()) return Failed(status);
    failures += Print(options, page, FormatAssignments(page, header));
    header = false;
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return failures == 0 ? 0 : 1;
}

int Watch(const CtlOptions& options, const std::string& department, const std::string& handler,
          const std::string& cursor, int count) {
  auto stub = v1::DispatchService::NewStub(Channel(options, options.dispatch));
  v1::WatchAssignmentsRequest request;
  request.set_department(department);
  request.set_handler(handler);
  request.set_cursor(cursor);
  grpc::ClientContext context;
  Identify(context, options);
  auto reader = stub->WatchAssignments(&context, request);
  v1::WatchAssignmentsResponse change;
  int seen = 0;
  while ((count == 0 || seen < count) && reader->Read(&change)) {
    if (Print(options, change, FormatAssignmentChange(change)) != 0) return 1;
    std::fflush(stdout);
    ++seen;
  }
  if (count > 0 && seen == count) {
    context.TryCancel();
    reader->Finish();
    return 0;
  }
  const grpc::Status status = reader->Finish();
  return status.ok() ? 0 : Failed(status);
}

}  // namespace complaints::ctl
