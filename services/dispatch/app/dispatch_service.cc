#include "services/dispatch/app/dispatch_service.h"

#include "complaints/v1/dispatch.grpc.pb.h"
#include "libs/core/status_macros.h"
#include "libs/security/access_policy.h"

namespace complaints::dispatch {

DispatchService::DispatchService(DispatchApp* app)
    : CallbackService(
          v1::AssignRequest::descriptor()->file()->FindServiceByName("DispatchService")) {
  StaffHandle("Assign", app, &DispatchApp::Assign);
  StaffHandle("Transfer", app, &DispatchApp::Transfer);
  StaffHandle("Reject", app, &DispatchApp::Reject);
  StaffHandle("Accept", app, &DispatchApp::Accept);
  Handle<v1::ListAssignmentsRequest, v1::ListAssignmentsResponse>(
      "ListAssignments",
      [app](v1::ListAssignmentsRequest request,
            const CallInfo& call) -> absl::StatusOr<v1::ListAssignmentsResponse> {
        ASSIGN_OR_RETURN(*request.mutable_department(),
                         ListableDepartment(call.actor, request.department()));
        return app->ListAssignments(request);
      });
  HandleStream<v1::WatchAssignmentsRequest, v1::WatchAssignmentsResponse>(
      "WatchAssignments",
      [app](v1::WatchAssignmentsRequest request, const CallInfo& call,
            const std::function<bool(const v1::WatchAssignmentsResponse&)>& write,
            StreamWriter& writer) -> absl::Status {
        ASSIGN_OR_RETURN(*request.mutable_department(),
                         ListableDepartment(call.actor, request.department()));
        return app->WatchAssignments(
            request, write, [&writer](absl::Duration wait) { return writer.WaitCancelled(wait); });
      });
}

}  // namespace complaints::dispatch
