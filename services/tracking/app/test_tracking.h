#pragma once
// The tracking app over real RocksDB with the standard SLA rules and handling
// policy (built in code: domain/test_config.h), a fake clock, and its gRPC service on a loopback
// port.

#include <map>
#include <memory>

#include "complaints/v1/tracking.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/server/host.h"
#include "libs/testing/events.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"
#include "libs/testing/test_pki.h"
#include "services/tracking/app/tracking_app.h"
#include "services/tracking/app/tracking_families.h"
#include "services/tracking/app/tracking_service.h"
#include "services/tracking/domain/test_config.h"
#include "services/tracking/domain/test_sla.h"

namespace complaints::tracking {

using namespace complaints::testing;

class TrackingAppTest : public ::testing::Test {
 protected:
  static v1::HandlingPolicy TestHandling() {
    v1::HandlingPolicy handling;
    handling.set_id("handling");
    handling.set_version(1);
    handling.set_satisfied_from_score(3);
    handling.set_long_term_check_after_days(30);
    handling.set_archive_after_days(365);
    handling.set_status_report_after_hours(48);
    handling.set_max_extension_minutes(4320);
    return handling;
  }

  // An app over this fixture's store, outbox, clock and gate.
  std::unique_ptr<TrackingApp> NewApp(const v1::HandlingPolicy& handling = TestHandling()) {
    auto app = TrackingApp::Create({.parts = {.store = store_.get(),
                                              .outbox = outbox_.get(),
                                              .dead_letters = letters_.get(),
                                              .clock = &clock_,
                                              .gate = &gate_},
                                    .sla = &book_,
                                    .calendar = &calendar_,
                                    .handling = handling,
                                    .notifier = &notifier_});
    EXPECT_TRUE(app.ok()) << app.status();
    (*app)->SetFiring(true);
    return *std::move(app);
  }

  // The notifications in `store`'s outbox, in publishing order.
  static std::vector<v1::Notification> Notified(const Store& store) {
    std::vector<v1::Notification> sent;
    EXPECT_TRUE(store
                    .Scan(Family::kOutbox, "", "", SIZE_MAX,
                          [&](absl::string_view, absl::string_view value) {
                            absl::StatusOr<OutboxRecord> record = Outbox::DecodeValue(value);
                            if (record.ok() && record->topic == topics::kNotifications) {
                              EXPECT_TRUE(sent.emplace_back().ParseFromString(record->payload));
                            }
                            return true;
                          })
                    .ok());
    return sent;
  }

  static Notifier StandardNotifier() {
    auto templates = TestNotificationTemplates();
    EXPECT_TRUE(templates.ok()) << templates.status();
    return *Notifier::Create(*templates, absl::UTCTimeZone());
  }

  // A stub calling as `identity` over mTLS (its certificate from the test PKI).
  v1::TrackingService::Stub* As(const std::string& identity) {
    std::unique_ptr<v1::TrackingService::Stub>& stub = stubs_[identity];
    if (stub == nullptr) {
      stub = v1::TrackingService::NewStub(grpc::CreateChannel(
          "127.0.0.1:" + std::to_string(host_->port()), TestPki::Shared().Credentials(identity)));
    }
    return stub.get();
  }

  // A fresh client context (it must outlive the call it is passed to).
  static std::unique_ptr<grpc::ClientContext> Call() {
    return std::make_unique<grpc::ClientContext>();
  }

  // Makes `id` an open complaint under tracking's care: received, classified
  // at `priority`, assigned to engineering.
  void Open(const std::string& id, v1::Priority priority = v1::PRIORITY_P2) {
    ASSERT_TRUE(app_->Apply({ConsumedOf(topics::kIntake, Received(id), next_offset_++),
                             ConsumedOf(topics::kIntake, Classified(id, "plumbing", priority),
                                        next_offset_++)})
                    .ok());
    ASSERT_TRUE(
        app_->Apply({ConsumedOf(topics::kDispatch, Assigned(id, "engineering"), next_offset_++)})
            .ok());
  }

  void SetUp() override {
    host_ = *ServiceHost::Start("127.0.0.1:0", {&service_}, security_.get());
    stub_ = As("staff/eng.wang");
  }

  const absl::Time now_ = absl::FromUnixSeconds(1'795'000'000);
  TempDir dir_;
  std::unique_ptr<Store> store_ =
      *Store::Open(dir_.Sub("db"), Store::kDefaultPartitions, tracking::kFamilies);
  std::unique_ptr<Outbox> outbox_ =
      *Outbox::Open(store_.get(), complaints::testing::TestAuthority(v1::WRITER_TRACKING));
  std::unique_ptr<DeadLetters> letters_ = *DeadLetters::Open(store_.get());
  SlaBook book_ = StandardSla();
  BusinessCalendar calendar_ = StandardCalendar();
  Notifier notifier_ = StandardNotifier();
  FakeClock clock_{now_};
  WriteGate gate_;
  int64_t next_offset_ = 0;
  std::unique_ptr<TrackingApp> app_ = NewApp();
  TrackingService service_{app_.get()};
  std::shared_ptr<const ServerSecurity> security_ = TestPki::Shared().Server("service/tracking");
  std::unique_ptr<ServiceHost> host_;
  std::map<std::string, std::unique_ptr<v1::TrackingService::Stub>> stubs_;
  v1::TrackingService::Stub* stub_ = nullptr;  // eng.wang, a handler in engineering
};

}  // namespace complaints::tracking
