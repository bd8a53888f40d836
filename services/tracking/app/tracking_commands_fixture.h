#pragma once
// The tracking shell's staff-command tests: a complaint opened in tracking,
// staff calling over mTLS, and the outbox to look at.

#include "libs/core/time_util.h"
#include "services/tracking/app/test_tracking.h"

namespace complaints::tracking {

// When the test events say the complaints were received (Received()).
const absl::Time kReceivedAt = absl::FromUnixSeconds(1'795'654'800);  // 2026-11-26T01:00:00Z

class TrackingCommandsTest : public TrackingAppTest {
 protected:
  void SetUp() override {
    TrackingAppTest::SetUp();
    clock_.Advance(kReceivedAt - clock_.Now());
  }

  // Events of `payload` kind the outbox holds for `id`.
  int Count(const std::string& id, v1::Envelope::PayloadCase payload) {
    int count = 0;
    for (const v1::Envelope& event : Outboxed(*store_)) {
      count += event.complaint_id() == id && event.payload_case() == payload;
    }
    return count;
  }

  v1::CommandOutcome Resolve(const std::string& id, const std::string& key) {
    v1::ResolveRequest request;
    request.set_idempotency_key(key);
    request.set_complaint_id(id);
    request.set_outcome("the pipe was replaced");
    request.set_solution("new PPR pipe under the sink");
    request.set_prevention("annual check of kitchen pipes");
    v1::ResolveResponse response;
    grpc::Status status = As("staff/eng.wang")->Resolve(Call().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.outcome();
  }
  v1::CommandOutcome Communicate(const std::string& id, const std::string& key) {
    v1::RecordCommunicationRequest request;
    request.set_idempotency_key(key);
    request.set_complaint_id(id);
    request.set_channel(v1::CHANNEL_PHONE);
    v1::RecordCommunicationResponse response;
    grpc::Status status = As("staff/li")->RecordCommunication(Call().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.outcome();
  }
  v1::CommandOutcome FollowUp(const std::string& id, const std::string& key, int satisfaction) {
    v1::RecordFollowUpRequest request;
    request.set_idempotency_key(key);
    request.set_complaint_id(id);
    request.set_satisfaction(satisfaction);
    request.set_comments("still drips");
    v1::RecordFollowUpResponse response;
    grpc::Status status = As("staff/li")->RecordFollowUp(Call().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.outcome();
  }
  size_t Fire() {
    absl::StatusOr<size_t> fired = app_->FireDueTimers();
    EXPECT_TRUE(fired.ok()) << fired.status();
    return fired.value_or(0);
  }
};

}  // namespace complaints::tracking
