#include "libs/server/health_probe.h"

#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"

namespace complaints {

bool IsServing(const std::string& address,
               const std::shared_ptr<grpc::ChannelCredentials>& credentials,
               absl::Duration call_timeout) {
  auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(address, credentials));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + call_timeout));
  grpc::health::v1::HealthCheckResponse response;
  return stub->Check(&context, {}, &response).ok() &&
         response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

bool WaitUntilServing(const std::string& address,
                      const std::shared_ptr<grpc::ChannelCredentials>& credentials,
                      absl::Duration timeout, absl::Duration every) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (IsServing(address, credentials)) return true;
    absl::SleepFor(every);
  }
  return IsServing(address, credentials);
}

}  // namespace complaints
