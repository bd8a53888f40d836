#include "services/analytics/domain/counts.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"

namespace complaints::analytics {
namespace {

constexpr char kSeparator = '\x1f';  // ASCII unit separator: never in names

}  // namespace

std::optional<v1::CountRow> BucketOf(const v1::ComplaintView& view, const absl::TimeZone& zone) {
  if (!view.intake().received() || view.intake().category().empty()) return std::nullopt;
  v1::CountRow bucket;
  bucket.set_day(DayOf(FromProto(view.intake().received_at()), zone));
  bucket.set_category(view.intake().category());
  bucket.set_priority(view.intake().priority());
  bucket.set_department(view.dispatch().department().empty() ? kUnassigned
                                                             : view.dispatch().department());
  return bucket;
}

std::string BucketKey(const v1::CountRow& bucket) {
  return absl::StrCat(bucket.day(), std::string(1, kSeparator), bucket.category(),
                      std::string(1, kSeparator), static_cast<int>(bucket.priority()),
                      std::string(1, kSeparator), bucket.department());
}

absl::StatusOr<v1::CountRow> ParseBucketKey(absl::string_view key) {
  std::vector<std::string> parts = absl::StrSplit(key, kSeparator);
  int priority = 0;
  if (parts.size() != 4 || !absl::SimpleAtoi(parts[2], &priority) ||
      !v1::Priority_IsValid(priority)) {
    return absl::DataLossError("malformed count key");
  }
  v1::CountRow bucket;
  bucket.set_day(parts[0]);
  bucket.set_category(parts[1]);
  bucket.set_priority(static_cast<v1::Priority>(priority));
  bucket.set_department(parts[3]);
  return bucket;
}

std::vector<std::pair<std::string, int64_t>> CountChanges(const v1::ComplaintView& before,
                                                          const v1::ComplaintView& after,
                                                          const absl::TimeZone& zone) {
  std::optional<v1::CountRow> old_bucket = BucketOf(before, zone);
  std::optional<v1::CountRow> new_bucket = BucketOf(after, zone);
  std::optional<std::string> old_key, new_key;
  if (old_bucket) old_key = BucketKey(*old_bucket);
  if (new_bucket) new_key = BucketKey(*new_bucket);
  std::vector<std::pair<std::string, int64_t>> changes;
  if (old_key == new_key) return changes;
  if (old_key) changes.emplace_back(*old_key, -1);
  if (new_key) changes.emplace_back(*new_key, +1);
  return changes;
}

absl::Status ValidateDay(absl::string_view field, absl::string_view day) {
  if (day.empty()) return absl::OkStatus();
  absl::CivilDay parsed;
  if (day.size() != 10 || !absl::ParseCivilTime(day, &parsed)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": not a day in YYYY-MM-DD form"));
  }
  return absl::OkStatus();
}

absl::Status ValidateDayRange(absl::string_view from_day, absl::string_view to_day) {
  RETURN_IF_ERROR(ValidateDay("from_day", from_day));
  RETURN_IF_ERROR(ValidateDay("to_day", to_day));
  if (!from_day.empty() && !to_day.empty() && from_day > to_day) {
    return absl::InvalidArgumentError("to_day: before from_day");
  }
  return absl::OkStatus();
}

}  // namespace complaints::analytics
