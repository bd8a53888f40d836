#pragma once
// The tracking shell: consumes intake and dispatch events, keeps each
// complaint's view and full timeline (§4.2), starts the SLA clock (§3.2), and
// serves the timeline. Apply runs on the consumer thread; GetComplaint is
// thread-safe.

#include <vector>

#include "absl/status/statusor.h"
#include "complaints/v1/tracking.pb.h"
#include "libs/core/clock.h"
#include "libs/runner/consumed_batch.h"
#include "services/tracking/domain/sla_decider.h"

namespace complaints::tracking {

struct TrackingAppOptions {
  RunnerParts parts;
  const SlaBook* sla = nullptr;
  const BusinessCalendar* calendar = nullptr;
};

class TrackingApp {
 public:
  explicit TrackingApp(TrackingAppOptions options);

  // The EventConsumer handler.
  absl::Status Apply(const std::vector<ConsumedRecord>& records) { return applier_.Apply(records); }
  ConsumedApplier& applier() { return applier_; }

  // One page of the complaint's timeline, live or as of a time (§4.2).
  // NOT_FOUND for a complaint unknown (then); INVALID_ARGUMENT for an empty
  // or over-long id, a bad page size, token or time.
  absl::StatusOr<v1::ComplaintTimeline> GetComplaint(const v1::GetComplaintRequest& request) const;

 private:
  // The complaint's events with timeline keys from `prefix` up to `end`
  // (empty: all), in recorded order.
  absl::StatusOr<std::vector<v1::Envelope>> Events(const std::string& complaint_id,
                                                   const std::string& prefix,
                                                   const std::string& end) const;

  TrackingAppOptions options_;
  SlaDecider decider_;
  ConsumedApplier applier_;
};

}  // namespace complaints::tracking
