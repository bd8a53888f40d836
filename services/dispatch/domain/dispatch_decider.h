#pragma once
// The dispatch decider (§3.1): a classified complaint is assigned to the
// department its routing rule names, with the reason and the rule recorded.
// Pure; policies turn consumed events into commands.

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"
#include "services/dispatch/domain/router.h"

namespace complaints::dispatch {

struct AssignComplaint {
  std::string complaint_id;
};

// Policy: "ComplaintClassified -> assign".
std::optional<AssignComplaint> PolicyFor(const v1::Envelope& event);

class DispatchDecider {
 public:
  // `router` must outlive the decider.
  explicit DispatchDecider(const Router* router) : router_(router) {}

  v1::ComplaintView Initial() const { return {}; }
  v1::ComplaintView Evolve(v1::ComplaintView view, const v1::Envelope& event) const;

  // A complaint already assigned decides nothing; one not yet classified is
  // FAILED_PRECONDITION.
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const AssignComplaint& command,
                                                   const v1::ComplaintView& view) const;

 private:
  const Router* router_;
};

}  // namespace complaints::dispatch
