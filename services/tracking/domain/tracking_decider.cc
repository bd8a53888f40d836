#include "services/tracking/domain/tracking_decider.h"

#include "absl/strings/str_cat.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"

namespace complaints::tracking {

std::optional<SetDeadlines> PolicyFor(const v1::Envelope& event) {
  if (event.has_classified()) return SetDeadlines{event.complaint_id()};
  return std::nullopt;
}

v1::ComplaintView TrackingDecider::Evolve(v1::ComplaintView view, const v1::Envelope& event) const {
  return complaints::Evolve(std::move(view), event);
}

absl::StatusOr<std::vector<v1::Envelope>> TrackingDecider::Decide(
    const SetDeadlines& command, const v1::ComplaintView& view) const {
  if (view.tracking().has_resolve_by()) return std::vector<v1::Envelope>{};
  if (!view.intake().received() || view.intake().priority() == v1::PRIORITY_UNSPECIFIED) {
    return absl::FailedPreconditionError(
        absl::StrCat("complaint ", command.complaint_id, " is not received and classified yet"));
  }
  absl::StatusOr<v1::DeadlinesSet> deadlines =
      policies_->For(view.intake().priority(), FromProto(view.intake().received_at()));
  if (!deadlines.ok()) return deadlines.status();
  std::vector<v1::Envelope> events(1);
  *events[0].mutable_deadlines_set() = *std::move(deadlines);
  return events;
}

}  // namespace complaints::tracking
