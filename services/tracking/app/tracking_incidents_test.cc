// §3.1 one burst pipe handled once: the incident analytics found, resolved
// with one command, each complaint with its own Resolved event.
#include "gmock/gmock.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "services/tracking/app/test_tracking.h"

namespace complaints::tracking {
namespace {

const absl::Time kReceivedAt = absl::FromUnixSeconds(1'795'654'800);  // 2026-11-26T01:00:00Z

class TrackingIncidentsTest : public TrackingAppTest {
 protected:
  void SetUp() override {
    TrackingAppTest::SetUp();
    clock_.Advance(kReceivedAt - clock_.Now());
    for (const char* id : {"C1", "C2", "C3", "C4"}) Open(id);
    std::vector<ConsumedRecord> detected;
    for (const char* id : {"C1", "C2", "C3"}) {
      detected.push_back(ConsumedOf(
          topics::kAnalytics, IncidentDetected(id, "INC-1", {"C1", "C2", "C3"}), next_offset_++));
    }
    ASSERT_TRUE(app_->Apply(detected).ok());
  }

  grpc::Status ResolveIncident(const std::string& key, const std::string& incident,
                               const std::string& outcome, v1::ResolveIncidentResponse* out) {
    v1::ResolveIncidentRequest request;
    request.set_idempotency_key(key);
    request.set_incident_id(incident);
    request.set_outcome(outcome);
    request.set_solution("the riser valve was replaced");
    request.set_prevention("valves checked every spring");
    return As("staff/eng.wang")->ResolveIncident(Call().get(), request, out);
  }

  int Resolved(const std::string& id) {
    int count = 0;
    for (const v1::Envelope& event : Outboxed(*store_)) {
      count += event.complaint_id() == id && event.has_resolved();
    }
    return count;
  }
};

TEST_F(TrackingIncidentsTest, TheWorkQueueShowsTheIncidentAndListsItsComplaints) {
  v1::ListComplaintsRequest request;
  request.set_incident_id("INC-1");
  v1::ListComplaintsResponse listed;
  ASSERT_TRUE(As("staff/eng.wang")->ListComplaints(Call().get(), request, &listed).ok());
  std::vector<std::string> ids;
  for (const v1::WorkItem& item : listed.items()) {
    EXPECT_EQ(item.incident_id(), "INC-1");
    ids.push_back(item.complaint_id());
  }
  EXPECT_THAT(ids, ::testing::UnorderedElementsAre("C1", "C2", "C3"));
  v1::GetComplaintRequest get;
  get.set_complaint_id("C2");
  v1::GetComplaintResponse shown;
  ASSERT_TRUE(As("staff/eng.wang")->GetComplaint(Call().get(), get, &shown).ok());
  EXPECT_EQ(shown.view().analytics().incident_id(), "INC-1");
  EXPECT_EQ(shown.view().analytics().incident_size(), 3);
}

TEST_F(TrackingIncidentsTest, OneCommandResolvesEachComplaintWithItsOwnEventAndARetryIsADuplicate) {
  v1::ResolveIncidentResponse response;
  ASSERT_TRUE(ResolveIncident("burst-1", "INC-1", "a burst riser pipe", &response).ok());
  ASSERT_EQ(response.resolved_size(), 3);
  EXPECT_EQ(response.skipped_size(), 0);
  for (const v1::CommandOutcome& outcome : response.resolved()) {
    EXPECT_EQ(outcome.status(), v1::HANDLING_STATUS_RESOLVED);
    EXPECT_FALSE(outcome.duplicate());
  }
  for (const char* id : {"C1", "C2", "C3"}) EXPECT_EQ(Resolved(id), 1) << id;
  EXPECT_EQ(Resolved("C4"), 0);
  for (const v1::Envelope& event : Outboxed(*store_)) {
    if (!event.has_resolved()) continue;
    EXPECT_EQ(event.origin().idempotency_key(), "burst-1/" + event.complaint_id());
    EXPECT_EQ(event.actor().id(), "eng.wang");
  }

  const size_t events = Outboxed(*store_).size();
  v1::ResolveIncidentResponse again;
  ASSERT_TRUE(ResolveIncident("burst-1", "INC-1", "a burst riser pipe", &again).ok());
  ASSERT_EQ(again.resolved_size(), 3);
  for (const v1::CommandOutcome& outcome : again.resolved()) EXPECT_TRUE(outcome.duplicate());
  EXPECT_EQ(Outboxed(*store_).size(), events) << "a retry records nothing";

  // Another key: each is resolved already, so each is skipped, saying why.
  v1::ResolveIncidentResponse other;
  ASSERT_TRUE(ResolveIncident("burst-2", "INC-1", "a burst riser pipe", &other).ok());
  EXPECT_EQ(other.resolved_size(), 0);
  ASSERT_EQ(other.skipped_size(), 3);
  EXPECT_EQ(other.skipped(0).reason(), "resolved already");
  EXPECT_EQ(Outboxed(*store_).size(), events);
}

TEST_F(TrackingIncidentsTest, BadRequestsNameTheFieldAndRecordNothing) {
  const size_t events = Outboxed(*store_).size();
  v1::ResolveIncidentResponse response;
  grpc::Status status = ResolveIncident("k1", "", "o", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("incident_id"));
  status = ResolveIncident("k2", "INC-1", "", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("outcome"));
  status = ResolveIncident("k3", "INC-404", "o", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  status = ResolveIncident("k4", std::string(65, 'x'), "o", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Outboxed(*store_).size(), events);
}

}  // namespace
}  // namespace complaints::tracking
