#include "services/analytics/domain/series.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/analytics/domain/metrics.h"

namespace complaints::analytics {
namespace {

constexpr char kSeparator = '\x1f';  // ASCII unit separator: never in names
constexpr size_t kMaxValueBytes = 200;

std::vector<std::string> KeysOf(const v1::ComplaintView& view, const absl::TimeZone& zone) {
  const std::optional<v1::MetricsRow> dimensions = DimensionsOf(view, zone);
  if (!dimensions) return {};
  const v1::MetricsRow& dims = *dimensions;
  // The day as DayOf wrote it: SeriesKey's form.
  const std::string& written = dims.day();
  const auto key = [&written](const SeriesId& id) {
    return absl::StrCat(SeriesPrefix(id), written);
  };
  std::vector<std::string> keys = {
      key({}), key({v1::FIGURE_DIMENSION_CATEGORY, dims.category()}),
      key({v1::FIGURE_DIMENSION_DEPARTMENT, dims.department()}),
      key({v1::FIGURE_DIMENSION_CHANNEL, ChannelValue(dims.channel())})};
  if (!dims.community().empty()) {
    keys.push_back(key({v1::FIGURE_DIMENSION_COMMUNITY, dims.community()}));
  }
  return keys;
}

// Everything KeysOf reads of a view (DimensionsOf's day, category,
// community, channel and department): equal inputs, equal keys. Most events
// change none of them, and this comparison is far cheaper than the keys.
bool SameKeyInputs(const v1::ComplaintView& a, const v1::ComplaintView& b) {
  const v1::IntakeState& x = a.intake();
  const v1::IntakeState& y = b.intake();
  return x.received() == y.received() && x.category() == y.category() &&
         x.received_at().seconds() == y.received_at().seconds() &&
         x.received_at().nanos() == y.received_at().nanos() && x.channel() == y.channel() &&
         x.location().community() == y.location().community() &&
         x.location().public_area() == y.location().public_area() &&
         a.dispatch().department() == b.dispatch().department();
}

}  // namespace

absl::StatusOr<SeriesId> CheckSeries(v1::FigureDimension dimension, absl::string_view value) {
  switch (dimension) {
    case v1::FIGURE_DIMENSION_UNSPECIFIED:
      if (!value.empty())
        return absl::InvalidArgumentError("value: must be empty for all complaints");
      return SeriesId{};
    case v1::FIGURE_DIMENSION_CATEGORY:
    case v1::FIGURE_DIMENSION_DEPARTMENT:
    case v1::FIGURE_DIMENSION_COMMUNITY:
    case v1::FIGURE_DIMENSION_CHANNEL:
      break;
    default:
      return absl::InvalidArgumentError(
          "dimension: a series is all complaints or one category, department, community or "
          "channel");
  }
  if (value.empty()) return absl::InvalidArgumentError("value: required for this dimension");
  if (value.size() > kMaxValueBytes || value.find(kSeparator) != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("value: at most ", kMaxValueBytes, " bytes, no control characters"));
  }
  return SeriesId{dimension, std::string(value)};
}

std::string ChannelValue(v1::Channel channel) {
  std::string name = v1::Channel_Name(channel);
  if (absl::StartsWith(name, "CHANNEL_")) name = name.substr(8);
  return absl::AsciiStrToLower(name);
}

std::string SeriesPrefix(const SeriesId& id) {
  return absl::StrCat(static_cast<int>(id.dimension), std::string(1, kSeparator), id.value,
                      std::string(1, kSeparator));
}

bool ParseDay(absl::string_view text, absl::CivilDay* day) {
  const auto digits = [&text](size_t at, size_t count, int* value) {
    *value = 0;
    for (size_t i = at; i < at + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      *value = *value * 10 + (text[i] - '0');
    }
    return true;
  };
  int year = 0, month = 0, day_of_month = 0;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && digits(0, 4, &year) &&
      digits(5, 2, &month) && digits(8, 2, &day_of_month)) {
    const absl::CivilDay parsed(year, month, day_of_month);
    if (parsed.year() != year || parsed.month() != month || parsed.day() != day_of_month) {
      return false;  // normalised: 2026-02-30 does not exist
    }
    *day = parsed;
    return true;
  }
  return absl::ParseCivilTime(text, day);
}

std::string SeriesKey(const SeriesId& id, absl::CivilDay day) {
  return absl::StrCat(SeriesPrefix(id), absl::FormatCivilTime(day));
}

absl::StatusOr<std::pair<SeriesId, absl::CivilDay>> ParseSeriesKey(absl::string_view key) {
  std::vector<absl::string_view> parts = absl::StrSplit(key, kSeparator);
  int dimension = 0;
  absl::CivilDay day;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &dimension) ||
      !v1::FigureDimension_IsValid(dimension) || !ParseDay(parts[2], &day)) {
    return absl::DataLossError("malformed series key");
  }
  return std::make_pair(
      SeriesId{static_cast<v1::FigureDimension>(dimension), std::string(parts[1])}, day);
}

std::vector<std::pair<std::string, int64_t>> SeriesChanges(const v1::ComplaintView& before,
                                                           const v1::ComplaintView& after,
                                                           const absl::TimeZone& zone) {
  if (SameKeyInputs(before, after)) return {};
  return KeyChanges(KeysOf(before, zone), KeysOf(after, zone));
}

std::vector<std::pair<std::string, int64_t>> KeyChanges(const std::vector<std::string>& before,
                                                        const std::vector<std::string>& after) {
  std::map<std::string, int64_t> delta;
  for (const std::string& key : before) --delta[key];
  for (const std::string& key : after) ++delta[key];
  std::vector<std::pair<std::string, int64_t>> changes;
  for (const auto& [key, change] : delta) {
    if (change != 0) changes.emplace_back(key, change);
  }
  return changes;
}

}  // namespace complaints::analytics
