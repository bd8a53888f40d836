#pragma once
// §2.4 the verification call-back. Soon after intake a call-back task falls
// due (the policy's time for the priority); staff record unanswered attempts
// and then the outcome, with the explanation given to the complainant. After
// the configured number of unanswered attempts the outcome is "could not be
// verified". Any outcome but CONFIRMED ends the complaint. Whether a priority
// is dispatched before verification is policy, written on the call-back task
// for dispatch to follow (dispatch_decider's ReadyForDispatch). Pure.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints::intake {

struct ScheduleCallback {
  std::string complaint_id;
};
struct RecordUnansweredCallback {
  std::string complaint_id;
  std::string note;
};
struct RecordVerification {
  std::string complaint_id;
  v1::VerificationOutcome outcome = v1::VERIFICATION_OUTCOME_UNSPECIFIED;
  std::string explanation;  // what the complainant was told
};

// Policy: "ComplaintClassified -> schedule the call-back".
std::optional<ScheduleCallback> CallbackPolicy(const v1::Envelope& event);

class VerificationDecider {
 public:
  // INVALID_ARGUMENT naming the field path; every priority needs a due time.
  static absl::StatusOr<VerificationDecider> Create(v1::VerificationPolicy policy);

  absl::StatusOr<std::vector<v1::Envelope>> Decide(const ScheduleCallback& command,
                                                   const v1::ComplaintView& view) const;
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const RecordUnansweredCallback& command,
                                                   const v1::ComplaintView& view) const;
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const RecordVerification& command,
                                                   const v1::ComplaintView& view) const;

 private:
  explicit VerificationDecider(v1::VerificationPolicy policy) : policy_(std::move(policy)) {}
  v1::VerificationPolicy policy_;
};

}  // namespace complaints::intake
