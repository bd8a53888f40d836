// §3.1 one matter, many calls, over a real gRPC channel and real RocksDB: a
// staff member links a duplicate to its primary, both timelines show it, the
// duplicate is resolved with its primary, and a mistaken link is taken back.
#include "services/tracking/app/tracking_commands_fixture.h"

namespace complaints::tracking {
namespace {

class DuplicatesTest : public TrackingCommandsTest {
 protected:
  grpc::Status Link(const std::string& id, const std::string& primary, const std::string& key,
                    v1::LinkDuplicateResponse* response) {
    v1::LinkDuplicateRequest request;
    request.set_idempotency_key(key);
    request.set_complaint_id(id);
    request.set_primary_id(primary);
    request.set_reason("the same burst riser, called in by the neighbour");
    return As("staff/eng.wang")->LinkDuplicate(Call().get(), request, response);
  }
  grpc::Status Unlink(const std::string& id, const std::string& key) {
    v1::UnlinkDuplicateRequest request;
    request.set_idempotency_key(key);
    request.set_complaint_id(id);
    request.set_reason("another flat, another pipe");
    v1::UnlinkDuplicateResponse response;
    return As("staff/eng.wang")->UnlinkDuplicate(Call().get(), request, &response);
  }
  // The complaint as staff read it over the API: its view and timeline.
  v1::GetComplaintResponse Read(const std::string& id) {
    v1::GetComplaintRequest request;
    request.set_complaint_id(id);
    v1::GetComplaintResponse response;
    const grpc::Status status =
        As("staff/eng.wang")->GetComplaint(Call().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  static int Timeline(const v1::GetComplaintResponse& read, v1::Envelope::PayloadCase payload) {
    int count = 0;
    for (const v1::Envelope& event : read.events()) count += event.payload_case() == payload;
    return count;
  }
};

TEST_F(DuplicatesTest, ALinkShowsOnBothTimelinesAndTheDuplicateFollowsItsPrimary) {
  Open("C1");
  Open("C2");
  Open("C3");
  v1::LinkDuplicateResponse linked;
  ASSERT_TRUE(Link("C2", "C1", "link-1", &linked).ok());
  EXPECT_EQ(linked.outcome().complaint_id(), "C2");
  EXPECT_FALSE(linked.outcome().duplicate());
  // A retry is answered once.
  v1::LinkDuplicateResponse again;
  ASSERT_TRUE(Link("C2", "C1", "link-1", &again).ok());
  EXPECT_TRUE(again.outcome().duplicate());

  const v1::GetComplaintResponse primary = Read("C1");
  const v1::GetComplaintResponse duplicate = Read("C2");
  EXPECT_EQ(Timeline(primary, v1::Envelope::kDuplicateLinked), 1);
  EXPECT_EQ(Timeline(duplicate, v1::Envelope::kDuplicateLinked), 1);
  EXPECT_EQ(duplicate.view().tracking().handling().duplicate_of(), "C1");
  ASSERT_EQ(primary.view().tracking().handling().duplicates_size(), 1);
  for (const v1::Envelope& event : duplicate.events()) {
    if (!event.has_duplicate_linked()) continue;
    EXPECT_EQ(event.actor().id(), "eng.wang");
    EXPECT_EQ(event.origin().command(), "LinkDuplicate");
  }

  // Resolving the primary resolves the duplicate in the same unit; the
  // complaint nobody linked stays open.
  EXPECT_EQ(Resolve("C1", "resolve-1").status(), v1::HANDLING_STATUS_RESOLVED);
  EXPECT_EQ(Read("C2").view().tracking().handling().status(), v1::HANDLING_STATUS_RESOLVED);
  EXPECT_EQ(Count("C2", v1::Envelope::kResolved), 1);
  EXPECT_EQ(Read("C3").view().tracking().handling().status(), v1::HANDLING_STATUS_OPEN);
}

TEST_F(DuplicatesTest, SelfLinksCyclesAndChainsAreRefusedAndChangeNothing) {
  Open("C1");
  Open("C2");
  Open("C3");
  v1::LinkDuplicateResponse response;
  ASSERT_TRUE(Link("C2", "C1", "link-1", &response).ok());
  const size_t events = Outboxed(*store_).size();
  const struct {
    std::string id, primary;
    grpc::StatusCode code;
    std::string message;
  } refused[] = {
      {"C3", "C3", grpc::StatusCode::INVALID_ARGUMENT, "primary_id: the complaint itself"},
      {"C1", "C2", grpc::StatusCode::FAILED_PRECONDITION, "C2 is itself a duplicate of C1"},
      {"C3", "C2", grpc::StatusCode::FAILED_PRECONDITION, "link to that one"},
      {"C1", "C3", grpc::StatusCode::FAILED_PRECONDITION, "duplicates of its own"},
      {"C3", "C9", grpc::StatusCode::NOT_FOUND, "C9 is not known"},
      {"C3", std::string(65, 'x'), grpc::StatusCode::INVALID_ARGUMENT, "primary_id: longer"},
  };
  int key = 0;
  for (const auto& each : refused) {
    const grpc::Status status =
        Link(each.id, each.primary, "bad-" + std::to_string(++key), &response);
    EXPECT_EQ(status.error_code(), each.code) << each.message << ": " << status.error_message();
    EXPECT_NE(status.error_message().find(each.message), std::string::npos)
        << status.error_message();
  }
  EXPECT_EQ(Outboxed(*store_).size(), events) << "a refusal records nothing";
}

TEST_F(DuplicatesTest, AnUnlinkedComplaintIsResolvedOnItsOwn) {
  Open("C1");
  Open("C2");
  v1::LinkDuplicateResponse response;
  ASSERT_TRUE(Link("C2", "C1", "link-1", &response).ok());
  ASSERT_TRUE(Unlink("C2", "unlink-1").ok());
  EXPECT_EQ(Timeline(Read("C1"), v1::Envelope::kDuplicateUnlinked), 1);
  EXPECT_EQ(Timeline(Read("C2"), v1::Envelope::kDuplicateUnlinked), 1);
  EXPECT_TRUE(Read("C2").view().tracking().handling().duplicate_of().empty());
  EXPECT_EQ(Unlink("C2", "unlink-2").error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << "no longer a duplicate";
  EXPECT_EQ(Resolve("C1", "resolve-1").status(), v1::HANDLING_STATUS_RESOLVED);
  EXPECT_EQ(Read("C2").view().tracking().handling().status(), v1::HANDLING_STATUS_OPEN);
}

}  // namespace
}  // namespace complaints::tracking
