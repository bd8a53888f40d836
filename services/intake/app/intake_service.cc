#include "services/intake/app/intake_service.h"

#include "complaints/v1/intake.grpc.pb.h"

namespace complaints::intake {

IntakeService::IntakeService(IntakeApp* app, RateLimiter* limiter, CallbackServiceOptions options)
    : CallbackService(
          v1::SubmitComplaintRequest::descriptor()->file()->FindServiceByName("IntakeService"),
          options) {
  Handle<v1::SubmitComplaintRequest, v1::SubmitComplaintResponse>(
      "SubmitComplaint",
      [app, limiter](const v1::SubmitComplaintRequest& request,
                     const CallInfo& call) -> absl::StatusOr<v1::SubmitComplaintResponse> {
        if (!limiter->Allow(call.identity)) {
          return absl::ResourceExhaustedError(
              "rate limit: this client sends more submissions per second than it may; retry later");
        }
        return app->commands().Run<v1::SubmitComplaintResponse>(request, call.actor);
      });
  // Held against a key re-wrap and followed by a purge (IntakeApp).
  StaffHandle("RequestErasure", app, &IntakeApp::RequestErasure);
  HandleCommands(&app->commands());
  Handle<v1::GetPersonalDataRequest, v1::GetPersonalDataResponse>(
      "GetPersonalData",
      [app](const v1::GetPersonalDataRequest& request,
            const CallInfo& call) -> absl::StatusOr<v1::GetPersonalDataResponse> {
        absl::StatusOr<v1::Actor> actor = StaffActor(call);
        if (!actor.ok()) return actor.status();
        return app->GetPersonalData(request, *actor,
                                    {.contact = call.May(v1::PERMISSION_PERSONAL_CONTACT_READ),
                                     .identity = call.May(v1::PERMISSION_PERSONAL_IDENTITY_READ)});
      });
  Handle<v1::ExportPersonalDataRequest, v1::ExportPersonalDataResponse>(
      "ExportPersonalData",
      [app](const v1::ExportPersonalDataRequest& request,
            const CallInfo& call) -> absl::StatusOr<v1::ExportPersonalDataResponse> {
        absl::StatusOr<v1::Actor> actor = StaffActor(call);
        if (!actor.ok()) return actor.status();
        return app->ExportPersonalData(request, *actor);
      });
  // Streamed: the header is checked before the bytes are read, which go to
  // a spool file as they come (evidence_upload.h).
  HandleUpload<v1::AttachEvidenceRequest, v1::AttachEvidenceResponse>(
      "AttachEvidence",
      [app](const CallInfo& call)
          -> std::unique_ptr<Upload<v1::AttachEvidenceRequest, v1::AttachEvidenceResponse>> {
        return app->StartEvidenceUpload(StaffActor(call));
      });
  HandleStream<v1::GetEvidenceRequest, v1::GetEvidenceResponse>(
      "GetEvidence",
      [app](const v1::GetEvidenceRequest& request, const CallInfo& call,
            const std::function<bool(const v1::GetEvidenceResponse&)>& write,
            StreamWriter&) -> absl::Status {
        absl::StatusOr<v1::Actor> actor = StaffActor(call);
        if (!actor.ok()) return actor.status();
        return app->GetEvidence(request, *actor, write);
      });
}

}  // namespace complaints::intake
