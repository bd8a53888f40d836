#pragma once
// The intake decider (§2.1–§2.3): a valid submission becomes ComplaintReceived
// followed by ComplaintClassified. Pure; the time comes in with the command.

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/intake.pb.h"
#include "complaints/v1/state.pb.h"
#include "services/intake/domain/classifier.h"

namespace complaints::intake {

struct SubmitComplaint {
  v1::SubmitComplaintRequest request;
  absl::Time now;
};

class IntakeDecider {
 public:
  // `classifier` must outlive the decider.
  explicit IntakeDecider(const Classifier* classifier) : classifier_(classifier) {}

  v1::ComplaintView Initial() const { return {}; }
  v1::ComplaintView Evolve(v1::ComplaintView view, const v1::Envelope& event) const;

  // Events carry only their payloads; the runner completes the envelopes.
  // A complaint already received decides nothing.
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const SubmitComplaint& command,
                                                   const v1::ComplaintView& view) const;

 private:
  const Classifier* classifier_;
};

}  // namespace complaints::intake
