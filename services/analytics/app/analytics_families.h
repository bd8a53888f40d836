#pragma once
// The store families analytics keeps besides the shared ones (libs/store/store.h);
// its store is opened with kFamilies.

#include <vector>

#include "libs/store/store.h"

namespace complaints::analytics {

// Daily complaint counts per series and day.
inline constexpr Family kSeriesFamily = Family::Own(0, "series");
// Each series' current projection.
inline constexpr Family kProjectionsFamily = Family::Own(1, "projections");
// The incident detector's groups and incidents (incident_fold.h).
inline constexpr Family kIncidentsFamily = Family::Own(2, "incidents");

inline const std::vector<Family> kFamilies = {kSeriesFamily, kProjectionsFamily, kIncidentsFamily};

}  // namespace complaints::analytics
