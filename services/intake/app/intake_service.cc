#include "services/intake/app/intake_service.h"

#include "libs/server/grpc_status.h"

namespace complaints::intake {

grpc::Status IntakeService::SubmitComplaint(grpc::ServerContext*,
                                            const v1::SubmitComplaintRequest* request,
                                            v1::SubmitComplaintResponse* response) {
  absl::StatusOr<v1::SubmitComplaintResponse> answer = app_->Submit(*request);
  if (answer.ok()) *response = *std::move(answer);
  return ToGrpcStatus(answer.status());
}

}  // namespace complaints::intake
