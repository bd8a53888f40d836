// §3.1 staff commands of the dispatch shell over a real gRPC channel and real
// RocksDB: acceptance, transfer, rejection up to the duty supervisor, the
// open-work projection kept in step, and the assignment listing.
#include <map>

#include "absl/time/clock.h"
#include "complaints/v1/dispatch.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/server/host.h"
#include "libs/testing/events.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"
#include "libs/testing/test_pki.h"
#include "services/dispatch/app/dispatch_families.h"
#include "services/dispatch/app/dispatch_service.h"
#include "services/dispatch/domain/test_routing.h"

namespace complaints::dispatch {
namespace {

using namespace complaints::testing;
using Stub = v1::DispatchService::Stub;

class DispatchCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_ = *ServiceHost::Start("127.0.0.1:0", {&service_}, security_.get());
    stub_ = As("system/security-app");
  }

  // A stub calling as `identity` over mTLS (its certificate from the test PKI).
  Stub* As(const std::string& identity) {
    std::unique_ptr<Stub>& stub = stubs_[identity];
    if (stub == nullptr) {
      stub = v1::DispatchService::NewStub(grpc::CreateChannel(
          "127.0.0.1:" + std::to_string(host_->port()), TestPki::Shared().Credentials(identity)));
    }
    return stub.get();
  }

  void Classify(const std::string& id, const std::string& category, v1::Priority priority) {
    ASSERT_TRUE(
        app_.Apply({ConsumedOf(topics::kIntake, Received(id), offset_++),
                    ConsumedOf(topics::kIntake, Classified(id, category, priority), offset_++),
                    ConsumedOf(topics::kIntake, CallbackScheduled(id), offset_++)})
            .ok());
  }

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    Request request, const std::string& identity, Response* response = nullptr) {
    grpc::ClientContext context;
    Response ignored;
    return ((*As(identity)).*method)(&context, request, response ? response : &ignored);
  }

  int OpenWith(const std::string& handler) {
    int open = 0;
    for (int32_t partition = 0; partition < store_->partitions(); ++partition) {
      auto stored =
          *store_->Get(Family::kCounts, PartitionPrefix(partition) + "workload/open/" + handler);
      open += stored ? std::stoi(*stored) : 0;
    }
    return open;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_ =
      *Store::Open(dir_.Sub("db"), Store::kDefaultPartitions, dispatch::kFamilies);
  std::unique_ptr<Outbox> outbox_ =
      *Outbox::Open(store_.get(), complaints::testing::TestAuthority(v1::WRITER_DISPATCH));
  std::unique_ptr<DeadLetters> letters_ = *DeadLetters::Open(store_.get());
  Router router_ = *Router::Create(TestRouting());
  FakeClock clock_{absl::FromUnixSeconds(1'795'000'000)};
  WriteGate gate_;
  RoutingModels models_{store_.get(), &clock_, &router_, dir_.path()};
  DispatchApp app_{{.parts = {.store = store_.get(),
                              .outbox = outbox_.get(),
                              .dead_letters = letters_.get(),
                              .clock = &clock_,
                              .gate = &gate_},
                    .router = &router_,
                    .models = &models_}};
  DispatchService service_{&app_, &models_};
  std::unique_ptr<ServiceHost> host_;
  std::shared_ptr<const ServerSecurity> security_ = TestPki::Shared().Server("service/dispatch");
  std::map<std::string, std::unique_ptr<Stub>> stubs_;
  Stub* stub_ = nullptr;  // the security department's system (watches its assignments)
  int64_t offset_ = 0;
};

v1::AcceptRequest AcceptOf(const std::string& id, const std::string& key) {
  v1::AcceptRequest request;
  request.set_idempotency_key(key);
  request.set_complaint_id(id);
  return request;
}

TEST_F(DispatchCommandsTest, EveryRpcOfTheServiceHasAHandler) {
  EXPECT_EQ(service_.Unhandled(), std::vector<std::string>{});
}

TEST_F(DispatchCommandsTest, TheReceiverAcceptsAndATransferMovesTheOpenWork) {
  Classify("C1", "safety", v1::PRIORITY_P1);  // security, sec.chen
  EXPECT_EQ(OpenWith("sec.chen"), 1);
  grpc::Status wrong = Call(&Stub::Accept, AcceptOf("C1", "a0"), "staff/sec.liu");
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(wrong.error_message(), "Accept: complaint C1 is assigned to sec.chen, not sec.liu");
  v1::AcceptResponse accepted;
  ASSERT_TRUE(Call(&Stub::Accept, AcceptOf("C1", "a1"), "staff/sec.chen", &accepted).ok());
  EXPECT_EQ(accepted.outcome().handler(), "sec.chen");
  ASSERT_TRUE(Call(&Stub::Accept, AcceptOf("C1", "a1"), "staff/sec.chen", &accepted).ok());
  EXPECT_TRUE(accepted.outcome().duplicate());

  v1::TransferRequest transfer;
  transfer.set_idempotency_key("t1");
  transfer.set_complaint_id("C1");
  transfer.set_to_department("engineering");
  transfer.set_reason("it is the lift's door motor, not a security matter");
  v1::TransferResponse moved;
  // Security's complaint: engineering's supervisor may not move it, the duty office's may.
  EXPECT_EQ(Call(&Stub::Transfer, transfer, "staff/zhao").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(&Stub::Transfer, transfer, "staff/duty.supervisor", &moved).ok());
  EXPECT_EQ(moved.outcome().department(), "engineering");
  EXPECT_FALSE(moved.outcome().handler().empty());
  EXPECT_EQ(OpenWith("sec.chen"), 0) << "the transfer freed chen";
  EXPECT_EQ(OpenWith(moved.outcome().handler()), 1);

  const std::vector<v1::Envelope> out = Outboxed(*store_);
  ASSERT_TRUE(out.back().has_receiver_briefed()) << "the new receiver is briefed";
  EXPECT_EQ(out.back().receiver_briefed().department(), "engineering");
  EXPECT_EQ(out[out.size() - 2].actor().id(), "duty.supervisor");
  EXPECT_TRUE(out[out.size() - 2].actor().centre_wide());
  EXPECT_EQ(out[out.size() - 2].origin().command(), "Transfer");
}

TEST_F(DispatchCommandsTest, RejectionsReRouteUntilTheDutySupervisorDecides) {
  Classify("C1", "plumbing", v1::PRIORITY_P3);  // engineering
  std::vector<std::string> departments;
  for (int round = 0; round < 6; ++round) {
    v1::ListAssignmentsRequest list;
    v1::CommandOutcome current;
    v1::AssignRequest look;  // an Assign without names on an assigned complaint changes nothing
    look.set_idempotency_key("look-" + std::to_string(round));
    look.set_complaint_id("C1");
    v1::AssignResponse looked;
    ASSERT_TRUE(Call(&Stub::Assign, look, "staff/duty.supervisor", &looked).ok());
    current = looked.outcome();
    departments.push_back(current.department());
    if (current.department() == "duty-office") break;
    v1::RejectRequest reject;
    reject.set_idempotency_key("reject-" + std::to_string(round));
    reject.set_complaint_id("C1");
    reject.set_department(current.department());
    reject.set_reason("not ours");
    ASSERT_TRUE(Call(&Stub::Reject, reject, "staff/duty.supervisor").ok());
  }
  ASSERT_GE(departments.size(), 2u);
  EXPECT_EQ(departments.front(), "engineering");
  EXPECT_EQ(departments.back(), "duty-office") << "the hop limit hands it to the duty supervisor";
  const std::set<std::string> distinct(departments.begin(), departments.end());
  EXPECT_EQ(distinct.size(), departments.size())
      << "never back to a department that rejected it: " << ::testing::PrintToString(departments);
}

TEST_F(DispatchCommandsTest, RefusedCommandsNameTheFieldOrStateAndRecordNothing) {
  Classify("C1", "safety", v1::PRIORITY_P1);
  const size_t events = Outboxed(*store_).size();
  v1::TransferRequest transfer;
  transfer.set_idempotency_key("t1");
  transfer.set_complaint_id("C1");
  transfer.set_to_department("engineering");
  transfer.set_reason("x");
  EXPECT_EQ(Call(&Stub::Transfer, transfer, "staff/he").error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "an analyst";
  grpc::Status other_department = Call(&Stub::Transfer, transfer, "staff/eng.li");
  EXPECT_EQ(other_department.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(other_department.error_message(),
            "complaint C1 is held by security/sec.chen; a handler acts only on complaints held by "
            "them or their department (engineering)");
  grpc::Status other_supervisor = Call(&Stub::Transfer, transfer, "staff/zhao");
  EXPECT_EQ(other_supervisor.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(other_supervisor.error_message(),
            "complaint C1 is held by security/sec.chen; a supervisor acts only on complaints held "
            "by their department (engineering)");
  transfer.set_to_department("kitchen");
  grpc::Status unknown = Call(&Stub::Transfer, transfer, "staff/duty.supervisor");
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(unknown.error_message(), "Transfer: to_department: unknown department kitchen");
  transfer.set_to_department("engineering");
  transfer.set_reason("");
  EXPECT_EQ(Call(&Stub::Transfer, transfer, "staff/duty.supervisor").error_message(),
            "reason: required");
  transfer.set_reason("x");
  transfer.set_complaint_id("C404");
  EXPECT_EQ(Call(&Stub::Transfer, transfer, "staff/duty.supervisor").error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::RejectRequest reject;
  reject.set_idempotency_key("r1");
  reject.set_complaint_id("C1");
  reject.set_department("engineering");
  reject.set_reason("not ours");
  grpc::Status elsewhere = Call(&Stub::Reject, reject, "staff/duty.supervisor");
  EXPECT_EQ(elsewhere.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(elsewhere.error_message(), "Reject: complaint C1 is with security, not engineering");
  v1::ListAssignmentsRequest list;
  v1::ListAssignmentsResponse listed;
  {
    grpc::ClientContext context;
    EXPECT_EQ(As("staff/qian")->ListAssignments(&context, list, &listed).error_message(),
              "department: required");
  }
  {
    grpc::ClientContext context;
    list.set_department("security");
    const grpc::Status bound =
        As("system/engineering-app")->ListAssignments(&context, list, &listed);
    EXPECT_EQ(bound.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(bound.error_message(),
              "department: engineering-app (integration) lists only the work of their department "
              "(engineering)");
  }
  EXPECT_EQ(Outboxed(*store_).size(), events);
}

TEST_F(DispatchCommandsTest, ListAssignmentsPagesADepartmentsWork) {
  for (const char* id : {"C1", "C2", "C3", "C4"}) Classify(id, "safety", v1::PRIORITY_P1);
  Classify("C5", "plumbing", v1::PRIORITY_P3);
  std::set<std::string> listed;
  v1::ListAssignmentsRequest request;
  request.set_department("security");
  request.set_page_size(1);
  int pages = 0;
  do {
    grpc::ClientContext context;
    v1::ListAssignmentsResponse page;
    ASSERT_TRUE(stub_->ListAssignments(&context, request, &page).ok());
    for (const v1::Assignment& assignment : page.assignments()) {
      EXPECT_EQ(assignment.department(), "security");
      EXPECT_EQ(assignment.category(), "safety");
      listed.insert(assignment.complaint_id());
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty() && ++pages < 20);
  EXPECT_EQ(listed, (std::set<std::string>{"C1", "C2", "C3", "C4"}));

  request.clear_page_token();
  request.set_page_size(0);
  request.set_handler("sec.chen");
  grpc::ClientContext context;
  v1::ListAssignmentsResponse chen;
  ASSERT_TRUE(stub_->ListAssignments(&context, request, &chen).ok());
  EXPECT_EQ(chen.assignments_size(), 2) << "least loaded alternates chen and liu";
}

// Reads `count` changes from an open watch (each within 10 s).
std::vector<v1::WatchAssignmentsResponse> Next(
    grpc::ClientReader<v1::WatchAssignmentsResponse>& reader, int count) {
  std::vector<v1::WatchAssignmentsResponse> changes;
  v1::WatchAssignmentsResponse change;
  while (static_cast<int>(changes.size()) < count && reader.Read(&change)) {
    changes.push_back(change);
  }
  return changes;
}

TEST_F(DispatchCommandsTest, ADepartmentFollowsItsWorkLiveAndResumesFromACursor) {
  Classify("C1", "safety", v1::PRIORITY_P1);  // security, sec.chen
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
  v1::WatchAssignmentsRequest watch;
  watch.set_department("security");
  auto reader = stub_->WatchAssignments(&context, watch);
  std::vector<v1::WatchAssignmentsResponse> seen = Next(*reader, 1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].change().kind(), v1::ASSIGNMENT_CHANGE_KIND_ASSIGNED);
  EXPECT_EQ(seen[0].change().complaint_id(), "C1");
  EXPECT_EQ(seen[0].change().handler(), "sec.chen");

  // While the stream is open, new work and a transfer away arrive on it.
  ASSERT_TRUE(Call(&Stub::Accept, AcceptOf("C1", "a1"), "staff/sec.chen").ok());
  v1::TransferRequest transfer;
  transfer.set_idempotency_key("t1");
  transfer.set_complaint_id("C1");
  transfer.set_to_department("engineering");
  transfer.set_reason("the lift's door motor");
  ASSERT_TRUE(Call(&Stub::Transfer, transfer, "staff/duty.supervisor").ok());
  Classify("C2", "safety", v1::PRIORITY_P1);
  std::vector<v1::WatchAssignmentsResponse> live = Next(*reader, 3);
  ASSERT_EQ(live.size(), 3u);
  EXPECT_EQ(live[0].change().kind(), v1::ASSIGNMENT_CHANGE_KIND_ACCEPTED);
  EXPECT_EQ(live[1].change().kind(), v1::ASSIGNMENT_CHANGE_KIND_MOVED_AWAY);
  EXPECT_EQ(live[1].change().reason().rfind("the lift's door motor", 0), 0u)
      << live[1].change().reason();
  EXPECT_EQ(live[2].change().complaint_id(), "C2");
  context.TryCancel();
  reader->Finish();

  // Resuming after the first change gives the rest, and only this handler's
  // when asked for one.
  grpc::ClientContext again;
  again.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
  watch.set_cursor(seen[0].cursor());
  auto resumed = stub_->WatchAssignments(&again, watch);
  std::vector<v1::WatchAssignmentsResponse> rest = Next(*resumed, 3);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest[0].cursor(), live[0].cursor());
  EXPECT_EQ(rest[2].cursor(), live[2].cursor());
  again.TryCancel();
  resumed->Finish();

  grpc::ClientContext engineering;
  engineering.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
  v1::WatchAssignmentsRequest theirs;
  theirs.set_department("engineering");
  auto arrived = As("system/engineering-app")->WatchAssignments(&engineering, theirs);
  std::vector<v1::WatchAssignmentsResponse> in = Next(*arrived, 1);
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in[0].change().kind(), v1::ASSIGNMENT_CHANGE_KIND_ASSIGNED);
  EXPECT_EQ(in[0].change().complaint_id(), "C1");
  engineering.TryCancel();
  arrived->Finish();
}

TEST_F(DispatchCommandsTest, AWatchWithABadRequestIsRefusedNamingTheField) {
  Classify("C1", "safety", v1::PRIORITY_P1);
  const std::vector<std::pair<v1::WatchAssignmentsRequest, std::string>> cases = [] {
    std::vector<std::pair<v1::WatchAssignmentsRequest, std::string>> all;
    v1::WatchAssignmentsRequest request;
    all.emplace_back(request, "department: required");
    request.set_department("security");
    request.set_cursor("not-a-cursor");
    all.emplace_back(request, "cursor: not a cursor a change carried");
    request.set_cursor("12345.7");
    all.emplace_back(request, "cursor: from before dispatch's store was rebuilt");
    return all;
  }();
  for (const auto& [request, message] : cases) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
    auto reader = As("staff/qian")->WatchAssignments(&context, request);
    v1::WatchAssignmentsResponse change;
    EXPECT_FALSE(reader->Read(&change));
    const grpc::Status status = reader->Finish();
    EXPECT_NE(status.error_code(), grpc::StatusCode::OK);
    EXPECT_EQ(status.error_message().substr(0, message.size()), message) << status.error_message();
  }
}

}  // namespace
}  // namespace complaints::dispatch
