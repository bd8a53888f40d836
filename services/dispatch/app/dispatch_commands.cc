// §3.1 staff commands and the assignment listing.
#include <variant>

#include "absl/strings/str_cat.h"
#include "libs/complaint/input.h"
#include "libs/core/status_macros.h"
#include "libs/runner/paging.h"
#include "libs/runner/staff_commands.h"
#include "libs/runner/topics.h"
#include "services/dispatch/app/dispatch_app.h"
#include "services/dispatch/app/open_work.h"
#include "services/dispatch/domain/assignment_changes.h"

namespace complaints::dispatch {
namespace {

constexpr size_t kMaxNameBytes = 64;  // department and handler ids
// A listing page reads at most this many views, so one call stays bounded
// however few of them match; the token then resumes after the last one read.
constexpr size_t kMaxScannedPerPage = 20'000;
// How often an idle WatchAssignments looks for new changes.
constexpr absl::Duration kWatchPoll = absl::Milliseconds(200);

absl::StatusOr<std::string> Name(absl::string_view field, const std::string& name, bool required) {
  std::string cleaned = name;
  RETURN_IF_ERROR(CleanField(field, &cleaned, kMaxNameBytes, TextShape::kSingleLine,
                             required ? Presence::kRequired : Presence::kOptional));
  return cleaned;
}

absl::StatusOr<std::string> Reason(const std::string& reason, bool required) {
  return CleanFreeText("reason", reason, kMaxReasonChars, required);
}

v1::Assignment AssignmentOf(const v1::ComplaintView& view) {
  v1::Assignment assignment;
  assignment.set_complaint_id(view.complaint_id());
  assignment.set_department(view.dispatch().department());
  assignment.set_handler(view.dispatch().handler());
  assignment.set_accepted(view.dispatch().accepted());
  assignment.set_category(view.intake().category());
  assignment.set_priority(view.intake().priority());
  *assignment.mutable_location() = view.intake().location();
  assignment.set_content(view.intake().content());
  assignment.set_incident_id(view.analytics().incident_id());
  assignment.set_status(view.tracking().handling().status());
  if (view.tracking().has_respond_by()) {
    *assignment.mutable_respond_by() = view.tracking().respond_by();
  }
  if (view.tracking().has_resolve_by()) {
    *assignment.mutable_resolve_by() = view.tracking().resolve_by();
  }
  assignment.set_hops(view.dispatch().hops());
  return assignment;
}

using AnyCommand =
    std::variant<ManualAssign, TransferComplaint, RejectAssignment, AcceptAssignment>;

}  // namespace

template <typename Response, typename MakeCommand>
absl::StatusOr<Response> DispatchApp::Run(absl::string_view name,
                                          const google::protobuf::Message& request,
                                          const std::string& key, const std::string& complaint_id,
                                          const v1::Actor& actor, MakeCommand make) {
  const StaffDecide decide_and_fold = [&](UnitOfWork& unit, const EventContext& context,
                                          absl::Time now) -> absl::Status {
    // The gate holds every other writer off: the projection read here
    // stays current until this unit commits.
    ASSIGN_OR_RETURN(OpenWork work, LoadOpenWork(*options_.parts.store));
    ASSIGN_OR_RETURN(const v1::ComplaintView before, unit.View(complaint_id));
    auto decide = [&](const auto& command) {
      return RunDecider(unit, decider_, command, complaint_id, v1::WRITER_DISPATCH,
                        topics::kDispatch, context);
    };
    ASSIGN_OR_RETURN(const std::vector<v1::Envelope> own,
                     std::visit(decide, make(before, work.total, now)));
    RETURN_IF_ERROR(feed_->Stage(unit.batch(), AssignmentChangesOf(own, before)));
    ASSIGN_OR_RETURN(const v1::ComplaintView after, unit.View(complaint_id));
    if (!own.empty() || OpenWorkOf(before) != OpenWorkOf(after)) {
      FoldOpenWork(before, after, own, *options_.router, options_.parts.store->partitions(), work,
                   unit.batch());
    }
    return absl::OkStatus();
  };
  Response response;
  RETURN_IF_ERROR(RunStaffCommand(runner_, kinds_, name, request, key, complaint_id, actor,
                                  *options_.parts.clock, decide_and_fold,
                                  response.mutable_outcome()));
  return response;
}

absl::StatusOr<v1::AssignResponse> DispatchApp::Assign(const v1::AssignRequest& request,
                                                       const v1::Actor& actor) {
  ASSIGN_OR_RETURN(std::string department, Name("department", request.department(), false));
  ASSIGN_OR_RETURN(std::string handler, Name("handler", request.handler(), false));
  const bool named = !department.empty() || !handler.empty();
  ASSIGN_OR_RETURN(std::string reason, Reason(request.reason(), named));
  return Run<v1::AssignResponse>(
      "Assign", request, request.idempotency_key(), request.complaint_id(), actor,
      [&](const v1::ComplaintView&, const Workload& workload, absl::Time) -> AnyCommand {
        return ManualAssign{request.complaint_id(), department, handler, reason, workload};
      });
}

absl::StatusOr<v1::TransferResponse> DispatchApp::Transfer(const v1::TransferRequest& request,
                                                           const v1::Actor& actor) {
  ASSIGN_OR_RETURN(std::string department, Name("to_department", request.to_department(), true));
  ASSIGN_OR_RETURN(std::string handler, Name("to_handler", request.to_handler(), false));
  ASSIGN_OR_RETURN(std::string reason, Reason(request.reason(), true));
  return Run<v1::TransferResponse>(
      "Transfer", request, request.idempotency_key(), request.complaint_id(), actor,
      [&](const v1::ComplaintView&, const Workload& workload, absl::Time) -> AnyCommand {
        return TransferComplaint{request.complaint_id(), department, handler, reason, workload};
      });
}

absl::StatusOr<v1::RejectResponse> DispatchApp::Reject(const v1::RejectRequest& request,
                                                       const v1::Actor& actor) {
  ASSIGN_OR_RETURN(std::string department, Name("department", request.department(), true));
  ASSIGN_OR_RETURN(std::string reason, Reason(request.reason(), true));
  return Run<v1::RejectResponse>(
      "Reject", request, request.idempotency_key(), request.complaint_id(), actor,
      [&](const v1::ComplaintView&, const Workload& workload, absl::Time) -> AnyCommand {
        return RejectAssignment{request.complaint_id(), department, reason, workload};
      });
}

absl::StatusOr<v1::AcceptResponse> DispatchApp::Accept(const v1::AcceptRequest& request,
                                                       const v1::Actor& actor) {
  return Run<v1::AcceptResponse>(
      "Accept", request, request.idempotency_key(), request.complaint_id(), actor,
      [&](const v1::ComplaintView&, const Workload&, absl::Time) -> AnyCommand {
        return AcceptAssignment{request.complaint_id(), actor.id()};
      });
}

absl::StatusOr<v1::ListAssignmentsResponse> DispatchApp::ListAssignments(
    const v1::ListAssignmentsRequest& request) const {
  ASSIGN_OR_RETURN(std::string department, Name("department", request.department(), true));
  ASSIGN_OR_RETURN(std::string handler, Name("handler", request.handler(), false));
  ASSIGN_OR_RETURN(const size_t page_size,
                   CheckPageSize("page_size", request.page_size(), {100, 500}));
  ASSIGN_OR_RETURN(const std::string begin, ResumeKey(request.page_token(), "", ""));
  v1::ListAssignmentsResponse response;
  std::string last_key;
  size_t scanned = 0;
  bool more = false;
  absl::Status corrupt = absl::OkStatus();
  RETURN_IF_ERROR(options_.parts.store->Scan(
      Family::kState, begin, "", SIZE_MAX, [&](absl::string_view key, absl::string_view value) {
        if (static_cast<size_t>(response.assignments_size()) == page_size ||
            scanned == kMaxScannedPerPage) {
          more = true;
          return false;
        }
        ++scanned;
        last_key = std::string(key);
        v1::ComplaintView view;
        if (!view.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = absl::DataLossError("a stored view is corrupt");
          return false;
        }
        if (view.dispatch().department() != department) return true;
        if (!handler.empty() && view.dispatch().handler() != handler) return true;
        if (!request.include_closed() && !InHand(view)) return true;
        *response.add_assignments() = AssignmentOf(view);
        return true;
      }));
  RETURN_IF_ERROR(corrupt);
  if (more) response.set_next_page_token(PageToken(last_key));
  return response;
}

absl::Status DispatchApp::WatchAssignments(
    const v1::WatchAssignmentsRequest& request,
    const std::function<bool(const v1::WatchAssignmentsResponse&)>& write,
    const std::function<bool(absl::Duration)>& idle) {
  ASSIGN_OR_RETURN(std::string department, Name("department", request.department(), true));
  ASSIGN_OR_RETURN(std::string handler, Name("handler", request.handler(), false));
  if (request.cursor().size() > 64) return absl::InvalidArgumentError("cursor: not a cursor");
  std::string cursor = request.cursor();
  for (;;) {
    ASSIGN_OR_RETURN(AssignmentFeed::Page page, feed_->After(department, handler, cursor));
    for (const v1::WatchAssignmentsResponse& change : page.changes) {
      if (!write(change)) return absl::OkStatus();  // the caller went away
    }
    // Nothing new yet: wait a moment (or end, once the caller is gone).
    if (page.cursor == cursor && idle(kWatchPoll)) return absl::OkStatus();
    cursor = page.cursor;
  }
}

}  // namespace complaints::dispatch
