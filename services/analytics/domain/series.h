#pragma once
// §5.1 trend projections, the data: daily complaint counts per series — all
// complaints, and per category, department, community and channel — on the
// day each complaint was received (the centre's zone). A complaint counts
// once it is received and classified and moves when its department changes,
// as in the counts cube. Keys sort by series, then day, so a series' history
// is one key range. Pure; no personal data.

#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "complaints/v1/analytics.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints::analytics {

// dimension is UNSPECIFIED for all complaints (value empty), else one of
// CATEGORY, DEPARTMENT, COMMUNITY, CHANNEL.
struct SeriesId {
  v1::FigureDimension dimension = v1::FIGURE_DIMENSION_UNSPECIFIED;
  std::string value;
  bool operator<(const SeriesId& other) const {
    return std::tie(dimension, value) < std::tie(other.dimension, other.value);
  }
  bool operator==(const SeriesId& other) const {
    return dimension == other.dimension && value == other.value;
  }
};

// INVALID_ARGUMENT naming `dimension` or `value` for a series that cannot exist.
absl::StatusOr<SeriesId> CheckSeries(v1::FigureDimension dimension, absl::string_view value);

// A channel as series values name it: "phone", "email", …
std::string ChannelValue(v1::Channel channel);

// A day as count keys write it ("2026-03-10"): what absl::ParseCivilTime
// reads, read by hand when the text has that form (ParseCivilTime parses its
// format on every call, about 3,000 instructions, and analytics reads the
// day of each count key it changes). False, as ParseCivilTime, for a date
// that does not exist.
bool ParseDay(absl::string_view text, absl::CivilDay* day);

// "<dimension>\x1f<value>\x1f" — the key prefix of a series.
std::string SeriesPrefix(const SeriesId& id);
std::string SeriesKey(const SeriesId& id, absl::CivilDay day);
// DATA_LOSS for a key that is not a series key.
absl::StatusOr<std::pair<SeriesId, absl::CivilDay>> ParseSeriesKey(absl::string_view key);

// -1 for each key only in `before`, +1 for each only in `after` (a key listed
// twice counts twice), ordered by key.
std::vector<std::pair<std::string, int64_t>> KeyChanges(const std::vector<std::string>& before,
                                                        const std::vector<std::string>& after);

// The count changes that moving a complaint from `before` to `after` makes,
// keyed by SeriesKey: -1 where it left, +1 where it arrived.
std::vector<std::pair<std::string, int64_t>> SeriesChanges(const v1::ComplaintView& before,
                                                           const v1::ComplaintView& after,
                                                           const absl::TimeZone& zone);

}  // namespace complaints::analytics
