#include "libs/server/health_probe.h"

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "libs/core/clock.h"

namespace complaints {

bool IsServing(const std::string& address,
               const std::shared_ptr<grpc::ChannelCredentials>& credentials,
               absl::Duration call_timeout) {
  auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(address, credentials));
  grpc::ClientContext context;
  context.set_deadline(GrpcDeadline(call_timeout));
  grpc::health::v1::HealthCheckResponse response;
  return stub->Check(&context, {}, &response).ok() &&
         response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

bool WaitUntilServing(const std::string& address,
                      const std::shared_ptr<grpc::ChannelCredentials>& credentials,
                      absl::Duration timeout, absl::Duration every) {
  const Deadline deadline(timeout);
  while (!deadline.Passed()) {
    if (IsServing(address, credentials)) return true;
    MonotonicClock::Default()->SleepFor(every);
  }
  return IsServing(address, credentials);
}

}  // namespace complaints
