#pragma once
// The analytics shell over a real gRPC channel and real RocksDB: one app, its
// service on a loopback port with mTLS, and a staff client.
#include <memory>

#include "complaints/v1/analytics.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/runner/test_records.h"
#include "libs/server/host.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"
#include "libs/testing/test_pki.h"
#include "services/analytics/app/analytics_app.h"
#include "services/analytics/app/analytics_families.h"
#include "services/analytics/app/analytics_service.h"

namespace complaints::analytics {

class AnalyticsAppTest : public ::testing::Test {
 protected:
  // The centre's zone the app runs in.
  virtual std::string ZoneName() const { return "Asia/Shanghai"; }

  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone(ZoneName(), &zone_));
    store_ = *Store::Open(dir_.Sub("db"), Store::kDefaultPartitions, analytics::kFamilies);
    outbox_ = *Outbox::Open(store_.get(), complaints::testing::TestAuthority(v1::WRITER_ANALYTICS));
    letters_ = *DeadLetters::Open(store_.get());
    app_ = std::make_unique<AnalyticsApp>(AnalyticsAppOptions{
        {store_.get(), outbox_.get(), letters_.get(), &clock_}, zone_, calendar_});
    service_ = std::make_unique<AnalyticsService>(app_.get());
    host_ = *ServiceHost::Start("127.0.0.1:0", {service_.get()}, security_.get());
    stub_ = v1::AnalyticsService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(host_->port()),
                            testing::TestPki::Shared().Credentials("staff/he")));
  }

  grpc::Status Counts(const std::string& from, const std::string& to, v1::GetCountsResponse* out) {
    grpc::ClientContext context;
    v1::GetCountsRequest request;
    request.set_from_day(from);
    request.set_to_day(to);
    return stub_->GetCounts(&context, request, out);
  }

  testing::TempDir dir_;
  DayKinds calendar_;
  absl::TimeZone zone_;
  testing::FakeClock clock_{absl::FromUnixSeconds(1'795'000'000)};
  std::unique_ptr<DeadLetters> letters_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<AnalyticsApp> app_;
  std::unique_ptr<AnalyticsService> service_;
  std::shared_ptr<const ServerSecurity> security_ =
      testing::TestPki::Shared().Server("service/analytics");
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<v1::AnalyticsService::Stub> stub_;
};

}  // namespace complaints::analytics
