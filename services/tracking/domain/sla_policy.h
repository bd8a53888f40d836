#pragma once
// §3.2 SLA policies by urgency (priority) x complexity: the time limit of each
// target, whether it counts business or calendar time, when to warn, and the
// escalation chain after a breach. Immutable, thread-safe.

#include "absl/status/statusor.h"
#include "complaints/v1/config.pb.h"

namespace complaints::tracking {

class SlaBook {
 public:
  // INVALID_ARGUMENT naming the field path. Every priority P1–P4 x complexity
  // simple/ordinary/complex needs exactly one policy with respond and resolve limits.
  static absl::StatusOr<SlaBook> Create(v1::SlaPolicies policies);

  // The policy for the pair; INVALID_ARGUMENT for an unspecified priority or complexity.
  absl::StatusOr<const v1::SlaPolicy*> Find(v1::Priority priority, v1::Complexity complexity) const;

 private:
  explicit SlaBook(v1::SlaPolicies policies) : policies_(std::move(policies)) {}
  v1::SlaPolicies policies_;
};

// The limit of `target` in `policy`, or nullptr when the policy sets none.
const v1::TargetLimit* LimitOf(const v1::SlaPolicy& policy, v1::SlaTarget target);

}  // namespace complaints::tracking
