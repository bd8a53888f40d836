#pragma once
// §3.1 what departments' own systems follow: the changes an event makes to
// who holds a complaint and how far it is. Each change is read from the
// event itself (and, for tracking's events, the department holding the
// complaint just before), so every replay of the topics yields the same
// changes. Pure.

#include <vector>

#include "complaints/v1/dispatch.pb.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints::dispatch {

// The changes `event` makes, given the complaint's view just before it.
std::vector<v1::AssignmentChange> AssignmentChangesOf(const v1::Envelope& event,
                                                      const v1::ComplaintView& before);

// The changes of `events` in order, starting from `before`.
std::vector<v1::AssignmentChange> AssignmentChangesOf(const std::vector<v1::Envelope>& events,
                                                      v1::ComplaintView before);

}  // namespace complaints::dispatch
