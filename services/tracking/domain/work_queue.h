#pragma once
// The §3.2 work queue as a pure projection: what one complaint shows in a
// queue, and whether it matches a listing's filters. The shell keeps an index
// of the items in resolve-by order beside the views.

#include <optional>

#include "absl/time/time.h"
#include "complaints/v1/state.pb.h"
#include "complaints/v1/tracking.pb.h"

namespace complaints::tracking {

// The complaint's queue entry; nullopt before it is under tracking's care.
std::optional<v1::WorkItem> WorkItemOf(const v1::ComplaintView& view);

// True when `item` passes every filter `request` gives, at `now`.
bool Matches(const v1::WorkItem& item, const v1::ListComplaintsRequest& request, absl::Time now);

}  // namespace complaints::tracking
