#pragma once
// §3.1 the incident detector's background, kept for it: each place's daily
// complaints of each category, every partition's together, one key per
// month in family kIncidents:
//   "B<place>\x1f<yyyy-mm>\x1f<category>" -> 31 counts, day 1 first, each a
//   four-byte little-endian integer; a month whose counts are all zero is
//   deleted, so the family depends only on the counts, not on the order
//   events arrived in (a rebuild stores the same bytes).
// The hot-issue rows (family kSeries) hold the same counts per partition and
// day. A background rate read from them took 4 weeks × partitions point
// reads, over a third of analytics' replay; read from here it takes two.

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "libs/store/store.h"

namespace complaints::analytics {

std::string CategoryMonthKey(absl::string_view place, absl::CivilMonth month,
                             absl::string_view category);

// One unit of work's counts: what it added is read back before it is stored.
class CategoryDays {
 public:
  // `store` must outlive this.
  explicit CategoryDays(const Store* store) : store_(store) {}

  // Adds `delta` to the day's count. DATA_LOSS for a corrupt stored month.
  absl::Status Add(absl::string_view place, absl::string_view category, absl::CivilDay day,
                   int64_t delta);
  // The complaints counted on the days in [from, to).
  absl::StatusOr<int64_t> Sum(absl::string_view place, absl::string_view category,
                              absl::CivilDay from, absl::CivilDay to);
  // Puts (or deletes) every month changed since the last call.
  void Stage(Batch& batch);

 private:
  using Month = std::array<int32_t, 31>;
  absl::StatusOr<Month*> Load(const std::string& key);

  const Store* store_;
  std::map<std::string, Month> months_;
  std::set<std::string> dirty_;
};

// Fills the months from the hot-issue rows, once, for a store that an
// earlier release wrote without them (a marker key says it is done; a new
// store is marked at once). Called before the service consumes.
absl::Status PrepareCategoryDays(Store& store);

}  // namespace complaints::analytics
