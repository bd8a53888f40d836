#pragma once
// The store families dispatch keeps besides the shared ones (libs/store/store.h);
// its store is opened with kFamilies.

#include <vector>

#include "libs/store/store.h"

namespace complaints::dispatch {

// The assignment feed per department, by sequence (assignment_feed.h).
inline constexpr Family kFeedFamily = Family::Own(0, "feed");
// Routing models by content hash, and which is active (routing_models.h).
inline constexpr Family kModelsFamily = Family::Own(1, "models");

inline const std::vector<Family> kFamilies = {kFeedFamily, kModelsFamily};

}  // namespace complaints::dispatch
