#pragma once
// The procedure walk's tools (procedure_walk_test): staff commands sent as an
// actor with their latency recorded, the services' clocks moved ahead,
// timelines read; the requests the walk sends; the check of the e-mail the
// complainants received.

#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/core/time_util.h"
#include "libs/testing/smtp_server.h"
#include "tests/cluster.h"

namespace complaints::testing {

// A step of the walk that must succeed.
#define STEP(call) EXPECT_TRUE((call).ok()) << #call

class Walk {
 public:
  explicit Walk(Cluster& cluster) : cluster_(cluster) {}

  // Sends one staff command as `identity` ("staff/li"); records its latency.
  // OK or the status; the outcome in `outcome` when given.
  template <typename Stub, typename Request, typename Response>
  grpc::Status Do(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  Request request, const std::string& key, const std::string& identity,
                  v1::CommandOutcome* outcome = nullptr) {
    request.set_idempotency_key(key);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
    Response response;
    const absl::Time start = complaints::WallNow();
    grpc::Status status;
    if constexpr (std::is_same_v<Stub, v1::DispatchService::Stub>) {
      status = (cluster_.dispatch(identity).*method)(&context, request, &response);
    } else if constexpr (std::is_same_v<Stub, v1::IntakeService::Stub>) {
      status = (cluster_.intake(identity).*method)(&context, request, &response);
    } else {
      status = (cluster_.tracking(identity).*method)(&context, request, &response);
    }
    latencies_.push_back(complaints::WallNow() - start);
    if (outcome != nullptr) *outcome = response.outcome();
    return status;
  }

  // Moves every service's clock ahead by `by`, then gives the timers that
  // came due `settle` to fire; returns tracking's new time.
  absl::Time Advance(absl::Duration by, absl::Duration settle = absl::Seconds(2)) {
    absl::Time tracking_now;
    for (Service service : kServices) {
      grpc::ClientContext context;
      v1::AdvanceClockRequest request;
      request.mutable_by()->set_seconds(absl::ToInt64Seconds(by));
      v1::AdvanceClockResponse response;
      grpc::Status status = cluster_.admin(service).AdvanceClock(&context, request, &response);
      EXPECT_TRUE(status.ok()) << NameOf(service) << ": " << status.error_message();
      if (service == Service::kTracking) tracking_now = FromProto(response.now());
    }
    advances_.push_back(tracking_now);
    // The timer loop fires up to 1,000 timers every 200 ms: by default, let
    // it catch up before anything else happens at this time.
    absl::SleepFor(settle);
    return tracking_now;
  }

  // The complaint's whole timeline (empty when tracking does not answer).
  std::vector<v1::Envelope> Timeline(const std::string& id) {
    std::vector<v1::Envelope> events;
    v1::GetComplaintRequest request;
    request.set_complaint_id(id);
    request.set_page_size(1000);
    grpc::ClientContext context;
    v1::GetComplaintResponse response;
    if (!cluster_.tracking().GetComplaint(&context, request, &response).ok()) return events;
    return {response.events().begin(), response.events().end()};
  }

  // The identity of whoever holds complaint `id` as tracking knows it, once
  // tracking knows it is held by `department` (empty: by anybody): a handler
  // acts only on what they or their department hold.
  std::string HolderOf(const std::string& id, const std::string& department = "");

  const std::vector<absl::Duration>& latencies() const { return latencies_; }
  const std::vector<absl::Time>& advances() const { return advances_; }

 private:
  Cluster& cluster_;
  std::vector<absl::Duration> latencies_;
  std::vector<absl::Time> advances_;
};

v1::ResolveRequest ResolveOf(const std::string& id);
v1::RecordCommunicationRequest CommunicationOf(const std::string& id);
v1::RecordFollowUpRequest FollowUpOf(const std::string& id, int satisfaction);
v1::RecordLongTermCheckRequest LongTermCheckOf(const std::string& id, bool recurred);
v1::RecordVerificationRequest VerificationOf(const std::string& id,
                                             v1::VerificationOutcome outcome);
v1::AcceptRequest AcceptOf(const std::string& id);
// The supervisor who may act on a department's complaints: its own
// (engineering's), else the duty office's, who acts centre-wide.
std::string SupervisorOf(const std::string& department);
// Who acts for a department: its handler when one holds the complaint, else a
// member of its pool (the duty supervisor for the duty office).
std::string HolderIdentity(const std::string& department, const std::string& handler);
// The holder (once tracking sees it with `department`, when given) resolves,
// a clerk communicates and follows up with `satisfaction`; `round` keeps
// keys apart.
void Close(Walk& walk, const std::string& id, int satisfaction, int round,
           const std::string& department = "");
std::string PayloadName(const v1::Envelope& event);

// §3.4/§5.2 the complainants' e-mail: every e-mail notification on the
// topic arrived at the SMTP server once, at its complainant's address, and
// intake recorded it sent. `email_of`: complaint id -> address.
void ExpectMailedOnce(Walk& walk, SmtpServer& smtp, const std::vector<v1::Notification>& told,
                      const std::map<std::string, std::string>& email_of, absl::Duration settle);

}  // namespace complaints::testing
