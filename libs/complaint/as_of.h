#pragma once
// §4.2 "state as of time T": the complaint as the platform knew it at T.

#include <vector>

#include "absl/time/time.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints {

// Folds the events recorded at or before `as_of` (their recorded_at, or
// occurred_at when unrecorded), in the given order. With `as_of` at or after
// the last event it equals the live view.
v1::ComplaintView ViewAsOf(const std::vector<v1::Envelope>& events, absl::Time as_of);

}  // namespace complaints
