#pragma once
// The intake shell's test fixture: an IntakeApp on real RocksDB behind a real
// gRPC channel over mTLS (callers named by their certificates), with a fake
// clock.

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "complaints/v1/intake.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/core/time_util.h"
#include "libs/runner/dead_letters.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/server/host.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"
#include "libs/testing/test_pki.h"
#include "services/intake/app/intake_app.h"
#include "services/intake/app/intake_families.h"
#include "services/intake/app/intake_service.h"
#include "services/intake/app/test_keys.h"
#include "services/intake/domain/test_rules.h"
#include "services/intake/domain/test_verification.h"

namespace complaints::intake {

class IntakeAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = *Store::Open(dir_.Sub("db"), Store::kDefaultPartitions, intake::kFamilies);
    outbox_ = *Outbox::Open(store_.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
    letters_ = *DeadLetters::Open(store_.get());
    keys_ = std::make_unique<DataKeys>(store_.get(), TestKeyRing(), &clock_);
    app_ = std::make_unique<IntakeApp>(
        IntakeAppOptions{.parts = {store_.get(), outbox_.get(), letters_.get(), &clock_},
                         .ids = &ids_,
                         .classifier = &classifier_,
                         .verification = &verification_,
                         .keys = keys_.get(),
                         .upload_dir = UploadDir(),
                         .mailer = mailer_});
    service_ = std::make_unique<IntakeService>(app_.get(), &limiter_);
    host_ = *ServiceHost::Start("127.0.0.1:0", {service_.get()}, security_.get());
    stub_ = As("system/call-centre");
  }

  std::string UploadDir() {
    std::filesystem::create_directories(dir_.Sub("uploads"));
    return dir_.Sub("uploads");
  }

  // A stub calling as `identity` over mTLS (its certificate from the test PKI).
  v1::IntakeService::Stub* As(const std::string& identity) {
    std::unique_ptr<v1::IntakeService::Stub>& stub = stubs_[identity];
    if (stub == nullptr) {
      stub = v1::IntakeService::NewStub(
          grpc::CreateChannel("127.0.0.1:" + std::to_string(host_->port()),
                              complaints::testing::TestPki::Shared().Credentials(identity)));
    }
    return stub.get();
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

  // What the outbox holds for `topic`, in order.
  std::vector<OutboxRecord> OutboxRecordsOf(absl::string_view topic) {
    std::vector<OutboxRecord> records;
    (void)store_->Scan(Family::kOutbox, "", "", SIZE_MAX,
                       [&](absl::string_view, absl::string_view value) {
                         OutboxRecord record = *Outbox::DecodeValue(value);
                         if (record.topic == topic) records.push_back(record);
                         return true;
                       });
    return records;
  }
  // The same as a consumer would read them back (offsets from 0).
  std::vector<ConsumedRecord> ConsumedOfTopic(absl::string_view topic) {
    std::vector<ConsumedRecord> consumed;
    for (const OutboxRecord& record : OutboxRecordsOf(topic)) {
      consumed.push_back({.topic = record.topic,
                          .partition = PartitionOf(record.key, store_->partitions()),
                          .offset = static_cast<int64_t>(consumed.size()),
                          .key = record.key,
                          .payload = record.payload,
                          .tombstone = record.tombstone});
    }
    return consumed;
  }

  complaints::testing::TempDir dir_;
  complaints::testing::FakeClock clock_{absl::FromUnixSeconds(1'795'000'000)};
  RandomIdGenerator ids_{99};
  Classifier classifier_ = *Classifier::Create(TestRules());
  VerificationDecider verification_ = *VerificationDecider::Create(*TestVerificationPolicy());
  std::unique_ptr<Store> store_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<DeadLetters> letters_;
  std::unique_ptr<DataKeys> keys_;
  SmtpClient* mailer_ = nullptr;  // set before SetUp to send e-mail
  std::unique_ptr<IntakeApp> app_;
  RateLimiter limiter_{{.per_second = 4, .burst = 4}, &clock_};
  std::unique_ptr<IntakeService> service_;
  std::shared_ptr<const ServerSecurity> security_ =
      complaints::testing::TestPki::Shared().Server("service/intake");
  std::unique_ptr<ServiceHost> host_;
  std::map<std::string, std::unique_ptr<v1::IntakeService::Stub>> stubs_;
  v1::IntakeService::Stub* stub_ = nullptr;  // the call centre's system
};

// The call centre's system as intake records it (what its certificate proves).
inline v1::Actor CallCentre() {
  v1::Actor actor;
  actor.set_id("call-centre");
  actor.set_role("integration");
  return actor;
}

// A fresh client context (it must outlive the call it is passed to).
inline std::unique_ptr<grpc::ClientContext> Call() {
  return std::make_unique<grpc::ClientContext>();
}

}  // namespace complaints::intake
