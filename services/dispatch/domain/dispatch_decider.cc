#include "services/dispatch/domain/dispatch_decider.h"

#include "absl/strings/str_cat.h"
#include "libs/complaint/view.h"

namespace complaints::dispatch {

std::optional<AssignComplaint> PolicyFor(const v1::Envelope& event) {
  if (event.has_classified()) return AssignComplaint{event.complaint_id()};
  return std::nullopt;
}

v1::ComplaintView DispatchDecider::Evolve(v1::ComplaintView view, const v1::Envelope& event) const {
  return complaints::Evolve(std::move(view), event);
}

absl::StatusOr<std::vector<v1::Envelope>> DispatchDecider::Decide(
    const AssignComplaint& command, const v1::ComplaintView& view) const {
  if (!view.dispatch().department().empty()) return std::vector<v1::Envelope>{};
  if (view.intake().category().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("complaint ", command.complaint_id, " is not classified yet"));
  }
  std::vector<v1::Envelope> events(1);
  *events[0].mutable_assigned() = router_->Route(view.intake().category(), view.intake().priority());
  return events;
}

}  // namespace complaints::dispatch
