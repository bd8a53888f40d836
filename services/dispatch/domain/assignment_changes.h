#pragma once
// §3.1 what departments' own systems follow: the changes an event makes to
// who holds a complaint and how far it is. Each change is read from the
// event itself (and, for tracking's events, the department holding the
// complaint just before), so every replay of the topics yields the same
// changes. Pure.

#include <utility>
#include <vector>

#include "complaints/v1/dispatch.pb.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"
#include "libs/complaint/view.h"

namespace complaints::dispatch {

// The changes `event` makes, given the complaint's view just before it.
std::vector<v1::AssignmentChange> AssignmentChangesOf(const v1::Envelope& event,
                                                      const v1::ComplaintView& before);

// The changes of `events` (any range of envelopes) in order, starting from `before`.
template <typename Events>
std::vector<v1::AssignmentChange> AssignmentChangesOf(const Events& events,
                                                      v1::ComplaintView before) {
  std::vector<v1::AssignmentChange> changes;
  for (const v1::Envelope& event : events) {
    for (v1::AssignmentChange& change : AssignmentChangesOf(event, before)) {
      changes.push_back(std::move(change));
    }
    before = Evolve(std::move(before), event);
  }
  return changes;
}
inline std::vector<v1::AssignmentChange> AssignmentChangesOf(
    const std::vector<v1::Envelope>& events, v1::ComplaintView before) {
  return AssignmentChangesOf<std::vector<v1::Envelope>>(events, std::move(before));
}

}  // namespace complaints::dispatch
