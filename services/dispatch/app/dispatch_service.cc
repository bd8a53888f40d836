#include "services/dispatch/app/dispatch_service.h"

#include "complaints/v1/dispatch.grpc.pb.h"

namespace complaints::dispatch {

DispatchService::DispatchService(DispatchApp* app)
    : CallbackService(
          v1::AssignRequest::descriptor()->file()->FindServiceByName("DispatchService")) {
  StaffHandle("Assign", app, &DispatchApp::Assign);
  StaffHandle("Transfer", app, &DispatchApp::Transfer);
  StaffHandle("Reject", app, &DispatchApp::Reject);
  StaffHandle("Accept", app, &DispatchApp::Accept);
  Handle<v1::ListAssignmentsRequest, v1::ListAssignmentsResponse>(
      "ListAssignments", [app](const v1::ListAssignmentsRequest& request, const CallInfo&) {
        return app->ListAssignments(request);
      });
}

}  // namespace complaints::dispatch
