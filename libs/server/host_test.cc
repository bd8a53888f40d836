#include "libs/server/host.h"

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/server/health_probe.h"

namespace complaints {
namespace {

grpc::health::v1::HealthCheckResponse::ServingStatus Health(int port) {
  auto channel =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.status();
}

TEST(ServiceHost, NotServingUntilReadyThenServing) {
  auto host = ServiceHost::Start("127.0.0.1:0", {});
  ASSERT_TRUE(host.ok()) << host.status();
  ASSERT_GT((*host)->port(), 0);
  EXPECT_EQ(Health((*host)->port()), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  (*host)->SetReady(true);
  EXPECT_EQ(Health((*host)->port()), grpc::health::v1::HealthCheckResponse::SERVING);
  (*host)->Shutdown(absl::Seconds(1));
}

TEST(ServiceHost, HealthProbeSeesReadiness) {
  auto host = ServiceHost::Start("127.0.0.1:0", {});
  ASSERT_TRUE(host.ok());
  const std::string address = "127.0.0.1:" + std::to_string((*host)->port());
  EXPECT_FALSE(IsServing(address)) << "NOT_SERVING until ready";
  (*host)->SetReady(true);
  EXPECT_TRUE(WaitUntilServing(address, absl::Seconds(5)));
  (*host)->Shutdown(absl::Seconds(1));
  EXPECT_FALSE(IsServing(address, absl::Milliseconds(300))) << "nothing listens any more";
}

TEST(ServiceHost, BusyAddressIsUnavailable) {
  auto first = ServiceHost::Start("127.0.0.1:0", {});
  ASSERT_TRUE(first.ok());
  auto second = ServiceHost::Start("127.0.0.1:" + std::to_string((*first)->port()), {});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace complaints
