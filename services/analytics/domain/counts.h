#pragma once
// §5.1 data analysis, first projection: complaint counts by day × category ×
// priority × department. A complaint sits in exactly one bucket once it is
// received and classified; when a later event changes its bucket (e.g. it is
// assigned) it moves. Pure; no personal data is read or kept.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/analytics.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints::analytics {

inline constexpr char kUnassigned[] = "unassigned";

// The bucket of a complaint, or nullopt when it is not counted yet.
std::optional<v1::CountRow> BucketOf(const v1::ComplaintView& view, const absl::TimeZone& zone);

// Ordered by day first, so a day range is a key range.
std::string BucketKey(const v1::CountRow& bucket);
absl::StatusOr<v1::CountRow> ParseBucketKey(absl::string_view key);

// The count changes that moving from `before` to `after` makes: at most one
// -1 and one +1, none when the bucket did not change.
std::vector<std::pair<std::string, int64_t>> CountChanges(const v1::ComplaintView& before,
                                                          const v1::ComplaintView& after,
                                                          const absl::TimeZone& zone);

// INVALID_ARGUMENT naming the field unless `day` is empty or YYYY-MM-DD.
absl::Status ValidateDay(absl::string_view field, absl::string_view day);
// The same for a request's from_day and to_day (either may be empty, for
// no bound), and INVALID_ARGUMENT when to_day comes before from_day.
absl::Status ValidateDayRange(absl::string_view from_day, absl::string_view to_day);

}  // namespace complaints::analytics
