#pragma once
// gRPC handler for complaints.v1.Intake: translates and delegates to IntakeApp.

#include "complaints/v1/intake.grpc.pb.h"
#include "services/intake/app/intake_app.h"

namespace complaints::intake {

class IntakeService final : public v1::Intake::Service {
 public:
  explicit IntakeService(IntakeApp* app) : app_(app) {}
  grpc::Status SubmitComplaint(grpc::ServerContext* context,
                               const v1::SubmitComplaintRequest* request,
                               v1::SubmitComplaintResponse* response) override;

 private:
  IntakeApp* app_;
};

}  // namespace complaints::intake
