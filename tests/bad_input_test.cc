// Every RPC of every service, fed what an attacker or an unlucky caller
// sends: each case must get its status code, a message that names the field
// (and quotes no more than a short, escaped prefix), and record nothing.
#include <functional>

#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/core/time_util.h"
#include "tests/scenario.h"

namespace complaints::testing {
namespace {

struct Case {
  std::string name;
  std::string method;  // "/complaints.v1.IntakeService/SubmitComplaint"
  Service service;
  std::string request;  // serialized bytes, sent as they are
  grpc::StatusCode code;
  std::string field;  // the message starts with this
};

// A caller allowed to call `c.method`, so the request itself is what is judged.
std::string IdentityFor(const Case& c) {
  if (absl::StrContains(c.method, ".IntakeService/")) return "system/call-centre";
  if (absl::StrContains(c.method, ".TrackingService/")) return "staff/qian";
  if (absl::StrContains(c.method, ".AnalyticsService/")) return "staff/he";
  if (absl::StrContains(c.method, ".DispatchService/")) return "staff/duty.supervisor";
  return "ops/oncall";
}

grpc::Status Call(Cluster& cluster, const Case& c) {
  grpc::GenericStub stub(
      grpc::CreateChannel(cluster.address(c.service), cluster.credentials(IdentityFor(c))));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
  grpc::Slice slice(c.request);
  grpc::ByteBuffer request(&slice, 1), response;
  absl::Notification done;
  grpc::Status result;
  stub.UnaryCall(&context, c.method, {}, &request, &response, [&](grpc::Status status) {
    result = std::move(status);
    done.Notify();
  });
  done.WaitForNotification();
  return result;
}

v1::SubmitComplaintRequest Valid() {
  v1::SubmitComplaintRequest request;
  request.set_idempotency_key("bad-input-base");
  request.set_channel(v1::CHANNEL_PHONE);
  request.mutable_complainant()->set_name("王芳");
  request.mutable_complainant()->set_phone("13800138000");
  request.set_content("厨房漏水");
  request.mutable_location()->set_community("阳光花园");
  return request;
}

std::string Spoiled(const std::function<void(v1::SubmitComplaintRequest&)>& spoil) {
  v1::SubmitComplaintRequest request = Valid();
  spoil(request);
  return request.SerializeAsString();
}

template <typename Message>
std::string Bytes(const std::function<void(Message&)>& fill) {
  Message message;
  fill(message);
  return message.SerializeAsString();
}

uint64_t Recorded(Cluster& cluster) {
  grpc::ClientContext context;
  v1::GetStatusResponse status;
  if (!cluster.admin(Service::kIntake).GetStatus(&context, {}, &status).ok()) return ~0ull;
  return status.relay().published() + status.relay().outbox_depth();
}

TEST(BadInput, EveryRpcRefusesBadInputClearlyAndRecordsNothing) {
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  const std::string submit = "/complaints.v1.IntakeService/SubmitComplaint";
  const auto intake = Service::kIntake;
  const std::string huge(1'200'000, 'a');
  const std::string not_utf8 = "\xff\xfe";
  using Req = v1::SubmitComplaintRequest;
  std::vector<Case> cases = {
      {"garbage bytes", submit, intake, "\xff\xff\xff\xff garbage",
       grpc::StatusCode::INVALID_ARGUMENT,
       "request: not a valid complaints.v1.SubmitComplaintRequest"},
      {"content not UTF-8", submit, intake, Valid().SerializeAsString() + "\x22\x02\xff\xfe",
       grpc::StatusCode::INVALID_ARGUMENT, "request: not a valid"},
      {"1.2 MB e-mail", submit, intake,
       Spoiled([&](Req& r) { r.mutable_complainant()->set_email(huge + "@x.cn"); }),
       grpc::StatusCode::RESOURCE_EXHAUSTED, "Received message larger than max ("},
      {"long content", submit, intake,
       Spoiled([](Req& r) { r.set_content(std::string(2001, 'x')); }),
       grpc::StatusCode::INVALID_ARGUMENT, "content: longer than 500"},
      {"long public area", submit, intake,
       Spoiled([](Req& r) { r.mutable_location()->set_public_area(std::string(801, 'p')); }),
       grpc::StatusCode::INVALID_ARGUMENT, "location.public_area: longer than 200"},
      {"NUL in content", submit, intake,
       Spoiled([](Req& r) { r.set_content(std::string("漏\0水", 7)); }),
       grpc::StatusCode::INVALID_ARGUMENT, "content: control character U+0000"},
      {"ANSI escape in name", submit, intake,
       Spoiled([](Req& r) { r.mutable_complainant()->set_name("王\x1b[2J"); }),
       grpc::StatusCode::INVALID_ARGUMENT, "complainant.name: control character U+001B"},
      {"control in key", submit, intake, Spoiled([](Req& r) { r.set_idempotency_key("k\x07"); }),
       grpc::StatusCode::INVALID_ARGUMENT, "idempotency_key: control character U+0007"},
      {"zero-width in key", submit, intake,
       Spoiled([](Req& r) { r.set_idempotency_key("k\u200b"); }),
       grpc::StatusCode::INVALID_ARGUMENT, "idempotency_key: must be in NFKC"},
      {"bidi override in unit", submit, intake,
       Spoiled([](Req& r) { r.mutable_location()->set_unit(std::string(101, 'u') + "\u202e"); }),
       grpc::StatusCode::INVALID_ARGUMENT, "location.unit: longer than 100"},
      {"year 1", submit, intake,
       Spoiled([](Req& r) { r.mutable_occurred_at()->set_seconds(-62135596800); }),
       grpc::StatusCode::INVALID_ARGUMENT, "occurred_at: before 2000-01-01"},
      {"negative time", submit, intake,
       Spoiled([](Req& r) { r.mutable_occurred_at()->set_seconds(-1); }),
       grpc::StatusCode::INVALID_ARGUMENT, "occurred_at: before"},
      {"negative nanos", submit, intake,
       Spoiled([](Req& r) { r.mutable_occurred_at()->set_nanos(-5); }),
       grpc::StatusCode::INVALID_ARGUMENT, "occurred_at.nanos"},
      {"unknown channel", submit, intake,
       Spoiled([](Req& r) { r.set_channel(static_cast<v1::Channel>(99)); }),
       grpc::StatusCode::INVALID_ARGUMENT, "channel: required"},
      {"unknown impact scope", submit, intake,
       Spoiled([](Req& r) { r.set_impact_scope(static_cast<v1::ImpactScope>(99)); }),
       grpc::StatusCode::INVALID_ARGUMENT, "impact_scope: unknown"},
      {"21 attachments", submit, intake, Spoiled([](Req& r) {
         for (int i = 0; i < 21; ++i) {
           v1::Attachment* a = r.add_attachments();
           a->set_name("p.jpg");
           a->set_sha256(std::string(64, 'a'));
           a->set_size_bytes(1);
           a->set_media_type("image/jpeg");
         }
       }),
       grpc::StatusCode::INVALID_ARGUMENT, "attachments: at most 20"},
      {"an actor of its own (the retired field 9)", submit, intake,
       Valid().SerializeAsString() + std::string("\x4a\x10\x0a\x0e") + "director-zhang",
       grpc::StatusCode::INVALID_ARGUMENT, "request: field 9 is not part of"},
      // Tracking.
      {"no complaint id", "/complaints.v1.TrackingService/GetComplaint", Service::kTracking, "",
       grpc::StatusCode::INVALID_ARGUMENT, "complaint_id: required"},
      {"long complaint id", "/complaints.v1.TrackingService/GetComplaint", Service::kTracking,
       Bytes<v1::GetComplaintRequest>(
           [](auto& r) { r.set_complaint_id(std::string(10'000, 'C')); }),
       grpc::StatusCode::INVALID_ARGUMENT, "complaint_id: longer than 64"},
      {"escape codes in an unknown id", "/complaints.v1.TrackingService/GetComplaint",
       Service::kTracking,
       Bytes<v1::GetComplaintRequest>([](auto& r) { r.set_complaint_id("C\x1b[2J"); }),
       grpc::StatusCode::NOT_FOUND, "complaint C\\u{001B}[2J is not known"},
      {"timeline page size", "/complaints.v1.TrackingService/GetComplaint", Service::kTracking,
       Bytes<v1::GetComplaintRequest>([](auto& r) {
         r.set_complaint_id("C1");
         r.set_page_size(-1);
       }),
       grpc::StatusCode::INVALID_ARGUMENT, "page_size: must be between 0 and 1000"},
      {"as-of before the epoch", "/complaints.v1.TrackingService/GetComplaint", Service::kTracking,
       Bytes<v1::GetComplaintRequest>([](auto& r) {
         r.set_complaint_id("C1");
         r.mutable_as_of()->set_seconds(-62135596800);
       }),
       grpc::StatusCode::INVALID_ARGUMENT, "as_of: not a time between 1970 and 9999"},
      {"timeline garbage", "/complaints.v1.TrackingService/GetComplaint", Service::kTracking,
       "\xff\xff", grpc::StatusCode::INVALID_ARGUMENT,
       "request: not a valid complaints.v1.GetComplaintRequest"},
      // Analytics.
      {"malformed day", "/complaints.v1.AnalyticsService/GetCounts", Service::kAnalytics,
       Bytes<v1::GetCountsRequest>([](auto& r) { r.set_from_day("2026-13-45"); }),
       grpc::StatusCode::INVALID_ARGUMENT, "from_day"},
      {"forged page token", "/complaints.v1.AnalyticsService/GetCounts", Service::kAnalytics,
       Bytes<v1::GetCountsRequest>([](auto& r) { r.set_page_token("\x1b[2J"); }),
       grpc::StatusCode::INVALID_ARGUMENT, "page_token: not a token"},
      {"counts page size", "/complaints.v1.AnalyticsService/GetCounts", Service::kAnalytics,
       Bytes<v1::GetCountsRequest>([](auto& r) { r.set_page_size(100'000); }),
       grpc::StatusCode::INVALID_ARGUMENT, "page_size: must be between 0 and 5000"},
      {"counts not UTF-8", "/complaints.v1.AnalyticsService/GetCounts", Service::kAnalytics,
       std::string("\x0a\x02") + not_utf8, grpc::StatusCode::INVALID_ARGUMENT,
       "request: not a valid"},
  };
  // Admin, on every service.
  for (Service service : kServices) {
    const std::string name = NameOf(service);
    cases.push_back({name + " dead letters page size",
                     "/complaints.v1.AdminService/ListDeadLetters", service,
                     Bytes<v1::ListDeadLettersRequest>([](auto& r) { r.set_page_size(501); }),
                     grpc::StatusCode::INVALID_ARGUMENT, "page_size: must be between 0 and 500"});
    cases.push_back({name + " dead letter without id", "/complaints.v1.AdminService/GetDeadLetter",
                     service, "", grpc::StatusCode::INVALID_ARGUMENT, "id: required"});
    cases.push_back({name + " unknown dead letter", "/complaints.v1.AdminService/RetryDeadLetter",
                     service,
                     Bytes<v1::RetryDeadLetterRequest>([](auto& r) { r.set_id("x\x1b[2J"); }),
                     grpc::StatusCode::NOT_FOUND, "id: no dead letter \"x\\u{001B}[2J\""});
    cases.push_back(
        {name + " long dead letter id", "/complaints.v1.AdminService/GetDeadLetter", service,
         Bytes<v1::GetDeadLetterRequest>([](auto& r) { r.set_id(std::string(5000, 'i')); }),
         grpc::StatusCode::INVALID_ARGUMENT, "id: longer than 300 bytes"});
    cases.push_back({name + " status garbage", "/complaints.v1.AdminService/GetStatus", service,
                     "\xff", grpc::StatusCode::INVALID_ARGUMENT,
                     "request: not a valid complaints.v1.GetStatusRequest"});
  }

  const uint64_t before = Recorded(cluster);
  for (const Case& c : cases) {
    const grpc::Status status = Call(cluster, c);
    EXPECT_EQ(status.error_code(), c.code) << c.name << ": " << status.error_message();
    EXPECT_EQ(status.error_message().rfind(c.field, 0), 0u)
        << c.name << ": " << status.error_message();
    EXPECT_LT(status.error_message().size(), 300u) << c.name;
    for (unsigned char ch : status.error_message()) {
      ASSERT_GE(ch, 0x20) << c.name << ": a control character in the message";
    }
  }
  EXPECT_EQ(Recorded(cluster), before) << "no bad input became an event";
  EXPECT_EQ(Totals(cluster).total, 0) << "nothing reached analytics";
  std::printf(
      "[figures] bad input: %zu cases over %d RPCs of 4 services, each refused with its field\n",
      cases.size(), 11);
}

}  // namespace
}  // namespace complaints::testing
