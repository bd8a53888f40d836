#include "services/intake/app/intake_service.h"

#include "complaints/v1/intake.grpc.pb.h"

namespace complaints::intake {

IntakeService::IntakeService(IntakeApp* app, RateLimiter* limiter, UnaryServiceOptions options)
    : UnaryService(
          v1::SubmitComplaintRequest::descriptor()->file()->FindServiceByName("IntakeService"),
          options) {
  Handle<v1::SubmitComplaintRequest, v1::SubmitComplaintResponse>(
      "SubmitComplaint",
      [app, limiter](const v1::SubmitComplaintRequest& request,
                     const CallInfo& call) -> absl::StatusOr<v1::SubmitComplaintResponse> {
        if (!limiter->Allow(call.client)) {
          return absl::ResourceExhaustedError(
              "rate limit: this client sends more submissions per second than it may; retry later");
        }
        return app->Submit(request);
      });
  StaffHandle("RecordVerification", app, &IntakeApp::RecordVerification);
  StaffHandle("Reclassify", app, &IntakeApp::Reclassify);
  StaffHandle("RequestErasure", app, &IntakeApp::RequestErasure);
  StaffHandle("Withdraw", app, &IntakeApp::Withdraw);
}

}  // namespace complaints::intake
