// The intake shell over a real gRPC channel and real RocksDB.
#include "services/intake/app/intake_app.h"

#include "complaints/v1/intake.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/core/time_util.h"
#include "libs/server/host.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"
#include "services/intake/app/intake_service.h"
#include "services/intake/domain/test_rules.h"

namespace complaints::intake {
namespace {

using namespace complaints::testing;

class IntakeAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = *Store::Open(dir_.Sub("db"));
    outbox_ = *Outbox::Open(store_.get());
    app_ = std::make_unique<IntakeApp>(IntakeAppOptions{store_.get(), outbox_.get(), &clock_, &ids_,
                                                        &classifier_});
    service_ = std::make_unique<IntakeService>(app_.get());
    host_ = *ServiceHost::Start("127.0.0.1:0", {service_.get()});
    stub_ = v1::Intake::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(host_->port()),
                                                    grpc::InsecureChannelCredentials()));
  }

  v1::SubmitComplaintRequest Request(const std::string& key) {
    v1::SubmitComplaintRequest request;
    request.set_idempotency_key(key);
    request.set_channel(v1::CHANNEL_PHONE);
    request.mutable_complainant()->set_name("张伟");
    request.mutable_complainant()->set_phone("13800138000");
    request.set_content("楼上漏水到我家厨房");
    request.mutable_location()->set_community("阳光花园");
    request.mutable_location()->set_building("3");
    request.mutable_location()->set_unit("1102");
    *request.mutable_occurred_at() = ToProto(clock_.Now() - absl::Hours(1));
    return request;
  }

  grpc::Status Submit(const v1::SubmitComplaintRequest& request, v1::SubmitComplaintResponse* out) {
    grpc::ClientContext context;
    return stub_->SubmitComplaint(&context, request, out);
  }

  int Count(Family family) {
    int n = 0;
    (void)store_->Scan(family, "", "", 1000, [&](absl::string_view, absl::string_view) {
      ++n;
      return true;
    });
    return n;
  }

  TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1'795'000'000)};
  RandomIdGenerator ids_{99};
  Classifier classifier_ = *Classifier::Create(TestRules());
  std::unique_ptr<Store> store_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<IntakeApp> app_;
  std::unique_ptr<IntakeService> service_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<v1::Intake::Stub> stub_;
};

TEST_F(IntakeAppTest, SubmitRecordsReceivedAndClassifiedInTheOutbox) {
  v1::SubmitComplaintResponse response;
  ASSERT_TRUE(Submit(Request("k1"), &response).ok());
  EXPECT_THAT(response.complaint_id(), ::testing::StartsWith("C"));
  EXPECT_EQ(response.category(), "plumbing");
  EXPECT_EQ(response.priority(), v1::PRIORITY_P2);
  EXPECT_FALSE(response.duplicate());
  EXPECT_EQ(Count(Family::kOutbox), 2);
  EXPECT_EQ(Count(Family::kState), 1);
}

TEST_F(IntakeAppTest, RepeatedKeyReturnsTheOriginalAndRecordsNothing) {
  v1::SubmitComplaintResponse first, second;
  ASSERT_TRUE(Submit(Request("k1"), &first).ok());
  ASSERT_TRUE(Submit(Request("k1"), &second).ok());
  EXPECT_EQ(second.complaint_id(), first.complaint_id());
  EXPECT_TRUE(second.duplicate());
  EXPECT_EQ(Count(Family::kOutbox), 2);
}

TEST_F(IntakeAppTest, KeyReusedForADifferentRequestIsAlreadyExists) {
  v1::SubmitComplaintResponse response;
  ASSERT_TRUE(Submit(Request("k1"), &response).ok());
  v1::SubmitComplaintRequest other = Request("k1");
  other.set_content("noise at night");
  grpc::Status status = Submit(other, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("idempotency_key"));
}

TEST_F(IntakeAppTest, InvalidRequestIsInvalidArgumentAndLeavesNoTrace) {
  v1::SubmitComplaintRequest request = Request("k2");
  request.mutable_complainant()->set_phone("not a phone");
  v1::SubmitComplaintResponse response;
  grpc::Status status = Submit(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("complainant.phone"));
  EXPECT_EQ(Count(Family::kOutbox), 0);
  EXPECT_EQ(Count(Family::kState), 0);
  EXPECT_EQ(Count(Family::kIdempotency), 0);
}

}  // namespace
}  // namespace complaints::intake
