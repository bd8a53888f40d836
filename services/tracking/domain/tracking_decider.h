#pragma once
// The tracking decider (§3.2): a classified complaint gets its deadlines from
// the policy for its priority. Pure; policies turn consumed events into commands.

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"
#include "services/tracking/domain/deadline_policy.h"

namespace complaints::tracking {

struct SetDeadlines {
  std::string complaint_id;
};

// Policy: "ComplaintClassified -> set deadlines".
std::optional<SetDeadlines> PolicyFor(const v1::Envelope& event);

class TrackingDecider {
 public:
  // `policies` must outlive the decider.
  explicit TrackingDecider(const DeadlinePolicyBook* policies) : policies_(policies) {}

  v1::ComplaintView Initial() const { return {}; }
  v1::ComplaintView Evolve(v1::ComplaintView view, const v1::Envelope& event) const;

  // Deadlines already set decide nothing; a complaint not yet received and
  // classified is FAILED_PRECONDITION.
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const SetDeadlines& command,
                                                   const v1::ComplaintView& view) const;

 private:
  const DeadlinePolicyBook* policies_;
};

}  // namespace complaints::tracking
