#include "services/dispatch/domain/assignment_changes.h"

#include "libs/complaint/view.h"

namespace complaints::dispatch {
namespace {

v1::AssignmentChange Change(const v1::Envelope& event, v1::AssignmentChangeKind kind,
                            const std::string& department, const std::string& handler,
                            const std::string& reason = "") {
  v1::AssignmentChange change;
  change.set_kind(kind);
  change.set_complaint_id(event.complaint_id());
  change.set_department(department);
  change.set_handler(handler);
  change.set_reason(reason);
  change.set_event_id(event.event_id());
  *change.mutable_recorded_at() = event.recorded_at();
  return change;
}

}  // namespace

std::vector<v1::AssignmentChange> AssignmentChangesOf(const v1::Envelope& event,
                                                      const v1::ComplaintView& before) {
  const v1::DispatchState& held = before.dispatch();
  switch (event.payload_case()) {
    case v1::Envelope::kAssigned:
      return {Change(event, v1::ASSIGNMENT_CHANGE_KIND_ASSIGNED, event.assigned().department(),
                     event.assigned().handler(), event.assigned().reason())};
    case v1::Envelope::kTransferred: {
      const v1::ComplaintTransferred& moved = event.transferred();
      return {Change(event, v1::ASSIGNMENT_CHANGE_KIND_MOVED_AWAY, moved.from_department(),
                     moved.from_handler(), moved.reason()),
              Change(event, v1::ASSIGNMENT_CHANGE_KIND_ASSIGNED, moved.to_department(),
                     moved.to_handler(), moved.reason())};
    }
    case v1::Envelope::kAssignmentRejected:
      return {Change(event, v1::ASSIGNMENT_CHANGE_KIND_REJECTED,
                     event.assignment_rejected().department(),
                     event.assignment_rejected().handler(), event.assignment_rejected().reason())};
    case v1::Envelope::kAssignmentAccepted:
      return {Change(event, v1::ASSIGNMENT_CHANGE_KIND_ACCEPTED,
                     event.assignment_accepted().department(),
                     event.assignment_accepted().handler())};
    case v1::Envelope::kResolved:
    case v1::Envelope::kReopened:
    case v1::Envelope::kClosed: {
      if (held.department().empty()) return {};  // ended before anyone held it
      const v1::AssignmentChangeKind kind =
          event.has_resolved()   ? v1::ASSIGNMENT_CHANGE_KIND_RESOLVED
          : event.has_reopened() ? v1::ASSIGNMENT_CHANGE_KIND_REOPENED
                                 : v1::ASSIGNMENT_CHANGE_KIND_CLOSED;
      return {Change(event, kind, held.department(), held.handler())};
    }
    default:
      return {};
  }
}

}  // namespace complaints::dispatch
