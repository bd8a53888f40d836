#include "libs/server/host.h"

#include <filesystem>

#include "complaints/v1/admin.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/runner/dead_letters.h"
#include "libs/server/admin_service.h"
#include "libs/server/health_probe.h"
#include "libs/testing/eventually.h"
#include "libs/testing/test_pki.h"

namespace complaints {
namespace {

using ::testing::HasSubstr;
using testing::TestPki;

std::string Local(int port) { return "127.0.0.1:" + std::to_string(port); }

grpc::health::v1::HealthCheckResponse::ServingStatus Health(
    int port, const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(Local(port), credentials));
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, {}, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.status();
}

TEST(ServiceHost, NotServingUntilReadyThenServing) {
  auto security = TestPki::Shared().Server();
  auto host = ServiceHost::Start("127.0.0.1:0", {}, security.get());
  ASSERT_TRUE(host.ok()) << host.status();
  ASSERT_GT((*host)->port(), 0);
  auto credentials = TestPki::Shared().Credentials("service/intake");
  EXPECT_EQ(Health((*host)->port(), credentials),
            grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  (*host)->SetReady(true);
  EXPECT_EQ(Health((*host)->port(), credentials), grpc::health::v1::HealthCheckResponse::SERVING);
  (*host)->Shutdown(absl::Seconds(1));
}

TEST(ServiceHost, HealthProbeSeesReadiness) {
  auto security = TestPki::Shared().Server();
  auto host = ServiceHost::Start("127.0.0.1:0", {}, security.get());
  ASSERT_TRUE(host.ok());
  const std::string address = Local((*host)->port());
  auto credentials = TestPki::Shared().Credentials("service/intake");
  EXPECT_FALSE(IsServing(address, credentials)) << "NOT_SERVING until ready";
  (*host)->SetReady(true);
  EXPECT_TRUE(WaitUntilServing(address, credentials, absl::Seconds(5)));
  (*host)->Shutdown(absl::Seconds(1));
  EXPECT_FALSE(IsServing(address, credentials, absl::Milliseconds(300)))
      << "nothing listens any more";
}

TEST(ServiceHost, BusyAddressIsUnavailable) {
  auto security = TestPki::Shared().Server();
  auto first = ServiceHost::Start("127.0.0.1:0", {}, security.get());
  ASSERT_TRUE(first.ok());
  auto second = ServiceHost::Start(Local((*first)->port()), {}, security.get());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
}

TEST(ServiceHost, UnusableCertificateFilesStopTheStart) {
  TlsFiles files = TestPki::Shared().Files("service/test");
  files.key = "/nonexistent/service.key";
  ServerSecurity security(TestPki::Shared().Server()->policy(), {.files = files});
  auto host = ServiceHost::Start("127.0.0.1:0", {}, &security);
  EXPECT_EQ(host.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(host.status().message(), HasSubstr("private key /nonexistent/service.key"));
}

// An AdminService (GetStatus needs status.read: service, auditor, operator)
// behind a host, to see who gets through.
class AdmissionTest : public ::testing::Test {
 protected:
  void Serve(std::shared_ptr<const ServerSecurity> security) {
    security_ = std::move(security);
    host_ = *ServiceHost::Start("127.0.0.1:0", {&admin_}, security_.get());
    host_->SetReady(true);
  }

  grpc::Status GetStatus(const std::shared_ptr<grpc::ChannelCredentials>& credentials,
                         const std::map<std::string, std::string>& metadata = {}) {
    auto stub = v1::AdminService::NewStub(grpc::CreateChannel(Local(host_->port()), credentials));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(5)));
    for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
    v1::GetStatusResponse response;
    return stub->GetStatus(&context, {}, &response);
  }

  std::shared_ptr<grpc::ChannelCredentials> As(const std::string& identity) {
    return TestPki::Shared().Credentials(identity);
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_ = *Store::Open(dir_.Sub("db"));
  std::unique_ptr<DeadLetters> letters_ = *DeadLetters::Open(store_.get());
  AdminService admin_{{.dead_letters = letters_.get(),
                       .status = [](v1::GetStatusResponse* status) { status->set_service("t"); },
                       .time_zone = "America/New_York"}};
  std::shared_ptr<const ServerSecurity> security_;
  std::unique_ptr<ServiceHost> host_;
};

TEST_F(AdmissionTest, RolesFromTheCertificateDecide) {
  Serve(TestPki::Shared().Server());
  EXPECT_TRUE(GetStatus(As("ops/oncall")).ok());
  EXPECT_TRUE(GetStatus(As("staff/luo")).ok()) << "auditor";

  grpc::Status analyst = GetStatus(As("staff/he"));
  EXPECT_EQ(analyst.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(analyst.error_message(),
            "permission status.read required (held by auditor, service, operator); staff/he is "
            "analyst");

  grpc::Status stranger = GetStatus(As("staff/stranger"));
  EXPECT_EQ(stranger.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(stranger.error_message(), HasSubstr("staff/stranger is not in the access policy"));
}

// Every identity the policy knows may read the centre's zone; a stranger may not.
TEST_F(AdmissionTest, EveryKnownCallerReadsTheCentresZone) {
  Serve(TestPki::Shared().Server());
  for (const char* identity : {"staff/he", "staff/li", "staff/eng.wang", "ops/oncall"}) {
    auto stub = v1::AdminService::NewStub(grpc::CreateChannel(Local(host_->port()), As(identity)));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(5)));
    v1::GetCentreResponse centre;
    ASSERT_TRUE(stub->GetCentre(&context, {}, &centre).ok()) << identity;
    EXPECT_EQ(centre.time_zone(), "America/New_York") << identity;
  }
  auto stub =
      v1::AdminService::NewStub(grpc::CreateChannel(Local(host_->port()), As("staff/stranger")));
  grpc::ClientContext context;
  v1::GetCentreResponse centre;
  EXPECT_EQ(stub->GetCentre(&context, {}, &centre).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AdmissionTest, AForgedActorIsRefused) {
  Serve(TestPki::Shared().Server());
  grpc::Status forged =
      GetStatus(As("ops/oncall"), {{"x-actor-id", "director-zhang"}, {"x-actor-role", "admin"}});
  EXPECT_EQ(forged.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(forged.error_message(), HasSubstr("the actor is the identity of the client"));
}

TEST_F(AdmissionTest, CallersWithoutAGoodCertificateNeverReachTheService) {
  Serve(TestPki::Shared().Server());
  EXPECT_EQ(GetStatus(grpc::InsecureChannelCredentials()).error_code(),
            grpc::StatusCode::UNAVAILABLE)
      << "plaintext";

  grpc::SslCredentialsOptions no_client_certificate;
  no_client_certificate.pem_root_certs = *ReadFile(TestPki::Shared().Files("ops/oncall").ca);
  EXPECT_EQ(GetStatus(grpc::SslCredentials(no_client_certificate)).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  // Another CA's certificate for a known identity, trusting our server.
  TestPki other;
  TlsFiles foreign = other.Files("ops/oncall");
  foreign.ca = TestPki::Shared().Files("ops/oncall").ca;
  EXPECT_EQ(GetStatus(*ChannelCredentialsFor({.files = foreign})).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  TlsFiles expired = TestPki::Shared().Expired("ops/expired");
  EXPECT_EQ(GetStatus(*ChannelCredentialsFor({.files = expired})).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  EXPECT_TRUE(GetStatus(As("ops/oncall")).ok()) << "the good one still gets through";
}

TEST_F(AdmissionTest, RotatedFilesAreReadWithoutARestart) {
  // The server's files in a folder of their own, re-read every second.
  const std::string files = dir_.Sub("server-tls");
  std::filesystem::create_directories(files);
  auto install = [&](TestPki& pki) {
    const TlsFiles from = pki.Files("service/test");
    for (auto [source, name] : {std::pair{from.ca, "ca.crt"}, std::pair{from.cert, "server.crt"},
                                std::pair{from.key, "server.key"}}) {
      std::filesystem::copy_file(source, files + "/" + name,
                                 std::filesystem::copy_options::overwrite_existing);
    }
  };
  install(TestPki::Shared());
  Serve(std::make_shared<ServerSecurity>(
      TestPki::Shared().Server()->policy(),
      TransportSecurity{.files = {files + "/ca.crt", files + "/server.crt", files + "/server.key"},
                        .refresh = absl::Seconds(1)}));
  ASSERT_TRUE(GetStatus(As("ops/oncall")).ok());

  TestPki next;  // a new CA: only its certificates work once the files are replaced
  install(next);
  EXPECT_TRUE(testing::Eventually([&] { return GetStatus(next.Credentials("ops/oncall")).ok(); },
                                  absl::Seconds(10)));
  EXPECT_EQ(GetStatus(As("ops/oncall")).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(AdmissionTest, InsecureModeIsPlaintextWithNamedCallers) {
  Serve(std::make_shared<ServerSecurity>(TestPki::Shared().Server()->policy(),
                                         TransportSecurity{.insecure = true}));
  EXPECT_TRUE(
      GetStatus(grpc::InsecureChannelCredentials(), {{"x-insecure-identity", "ops/oncall"}}).ok());
  grpc::Status anonymous = GetStatus(grpc::InsecureChannelCredentials());
  EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(GetStatus(grpc::InsecureChannelCredentials(), {{"x-insecure-identity", "staff/he"}})
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace complaints
