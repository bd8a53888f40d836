#pragma once
// §3.2 handling deadlines: time limits by priority, counted in calendar time
// from when the complaint was received. (Business calendars, complexity and
// pauses come with the full procedure.) Immutable, thread-safe.

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/events.pb.h"

namespace complaints::tracking {

class DeadlinePolicyBook {
 public:
  // INVALID_ARGUMENT naming the field path; every priority P1–P4 needs a policy.
  static absl::StatusOr<DeadlinePolicyBook> Create(v1::DeadlinePolicies policies);

  // The deadlines of a complaint of `priority` received at `received_at`.
  // INVALID_ARGUMENT for a priority outside P1–P4.
  absl::StatusOr<v1::DeadlinesSet> For(v1::Priority priority, absl::Time received_at) const;

 private:
  explicit DeadlinePolicyBook(v1::DeadlinePolicies policies) : policies_(std::move(policies)) {}
  v1::DeadlinePolicies policies_;
};

}  // namespace complaints::tracking
