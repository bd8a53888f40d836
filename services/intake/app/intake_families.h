#pragma once
// The store families intake keeps besides the shared ones (libs/store/store.h);
// its store is opened with kFamilies.

#include <vector>

#include "libs/complaint/view.h"
#include "libs/store/store.h"

namespace complaints::intake {

// Evidence files (evidence_store.h): sealed bytes, not worth compressing.
inline constexpr Family kEvidenceFamily = Family::Own(0, "evidence", /*compressible=*/false);
// Each complaint's sealed personal data, for the mail sender and the audited reads.
inline constexpr Family kContactsFamily = Family::Own(1, "contacts");
// Notifications waiting to be mailed, by id and by next attempt (intake_projections.h).
inline constexpr Family kMailFamily = Family::Own(2, "mail");
// Complainants' wrapped data keys by key id, mirroring complaints.keys.v1 (data_keys.h).
inline constexpr Family kDataKeysFamily = Family::Own(3, "data_keys");
// "<subject id>/<complaint id>": a complainant's complaints.
inline constexpr Family kSubjectsFamily = Family::Own(4, "subjects");
// Erased data keys and their pending tombstone repeats.
inline constexpr Family kErasedKeysFamily = Family::Own(5, "erased_keys");

// What of each complaint's view intake keeps: it reads none of the clock's
// timers. Every unit of work of intake folds with it, so that its views are
// alike however they were written.
inline constexpr ViewParts kViewParts = ViewParts::kWithoutTimers;

inline const std::vector<Family> kFamilies = {kEvidenceFamily, kContactsFamily, kMailFamily,
                                              kDataKeysFamily, kSubjectsFamily, kErasedKeysFamily};

}  // namespace complaints::intake
