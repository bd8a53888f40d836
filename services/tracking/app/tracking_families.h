#pragma once
// The store families tracking keeps besides the shared ones (libs/store/store.h);
// its store is opened with kFamilies.

#include <vector>

#include "libs/store/store.h"

namespace complaints::tracking {

// Due timers by fire time, a projection of the views (tracking_projections.h).
inline constexpr Family kTimersFamily = Family::Own(0, "timers");
// The work queue by resolve-by time, a projection of the views.
inline constexpr Family kQueueFamily = Family::Own(1, "queue");

inline const std::vector<Family> kFamilies = {kTimersFamily, kQueueFamily};

}  // namespace complaints::tracking
