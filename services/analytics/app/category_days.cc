#include "services/analytics/app/category_days.h"

#include <algorithm>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/runner/partitioning.h"
#include "services/analytics/app/analytics_families.h"
#include "services/analytics/domain/hot_issues.h"

namespace complaints::analytics {
namespace {

constexpr size_t kCountBytes = 4;
constexpr size_t kMonthBytes = 31 * kCountBytes;
// Present once the months hold every hot-issue row's count.
constexpr absl::string_view kPreparedKey = "Vcategory-days";

std::string Encode(const std::array<int32_t, 31>& month) {
  std::string bytes(kMonthBytes, '\0');
  for (size_t i = 0; i < month.size(); ++i) {
    const uint32_t count = static_cast<uint32_t>(month[i]);
    for (size_t b = 0; b < kCountBytes; ++b) {
      bytes[i * kCountBytes + b] = static_cast<char>((count >> (8 * b)) & 0xFF);
    }
  }
  return bytes;
}

bool Decode(absl::string_view bytes, std::array<int32_t, 31>* month) {
  if (bytes.size() != kMonthBytes) return false;
  for (size_t i = 0; i < month->size(); ++i) {
    uint32_t count = 0;
    for (size_t b = 0; b < kCountBytes; ++b) {
      count |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i * kCountBytes + b]))
               << (8 * b);
    }
    (*month)[i] = static_cast<int32_t>(count);
  }
  return true;
}

}  // namespace

std::string CategoryMonthKey(absl::string_view place, absl::CivilMonth month,
                             absl::string_view category) {
  return absl::StrCat("B", place, "\x1f", absl::FormatCivilTime(month), "\x1f", category);
}

absl::StatusOr<CategoryDays::Month*> CategoryDays::Load(const std::string& key) {
  auto it = months_.find(key);
  if (it != months_.end()) return &it->second;
  Month month{};
  ASSIGN_OR_RETURN(std::optional<std::string> stored, store_->Get(kIncidentsFamily, key));
  if (stored.has_value() && !Decode(*stored, &month)) {
    return absl::DataLossError("incidents: a stored month of category counts is corrupt");
  }
  return &months_.emplace(key, month).first->second;
}

absl::Status CategoryDays::Add(absl::string_view place, absl::string_view category,
                               absl::CivilDay day, int64_t delta) {
  const std::string key = CategoryMonthKey(place, absl::CivilMonth(day), category);
  ASSIGN_OR_RETURN(Month * month, Load(key));
  int32_t& count = (*month)[day.day() - 1];
  count = static_cast<int32_t>(std::clamp<int64_t>(
      count + delta, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
  dirty_.insert(key);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> CategoryDays::Sum(absl::string_view place, absl::string_view category,
                                          absl::CivilDay from, absl::CivilDay to) {
  int64_t total = 0;
  for (absl::CivilDay day = from; day < to;) {
    const absl::CivilMonth month(day);
    ASSIGN_OR_RETURN(const Month* counts, Load(CategoryMonthKey(place, month, category)));
    const absl::CivilDay month_end = std::min(to, absl::CivilDay(month + 1));
    for (; day < month_end; ++day) total += (*counts)[day.day() - 1];
  }
  return total;
}

void CategoryDays::Stage(Batch& batch) {
  for (const std::string& key : dirty_) {
    const Month& month = months_.at(key);
    if (std::all_of(month.begin(), month.end(), [](int32_t count) { return count == 0; })) {
      batch.Delete(kIncidentsFamily, key);
    } else {
      batch.Put(kIncidentsFamily, key, Encode(month));
    }
  }
  dirty_.clear();
}

absl::Status PrepareCategoryDays(Store& store) {
  ASSIGN_OR_RETURN(std::optional<std::string> prepared, store.Get(kIncidentsFamily, kPreparedKey));
  if (prepared.has_value()) return absl::OkStatus();
  CategoryDays days(&store);
  int64_t rows = 0, unreadable = 0;
  for (int32_t partition = 0; partition < store.partitions(); ++partition) {
    const std::string prefix = PartitionPrefix(partition) + "H\x1f";
    absl::Status added = absl::OkStatus();
    RETURN_IF_ERROR(store.ScanPrefix(
        kSeriesFamily, prefix, SIZE_MAX, [&](absl::string_view key, absl::string_view value) {
          absl::StatusOr<HotKey> hot = ParseHotKey(key.substr(kPartitionPrefixBytes));
          int64_t count = 0;
          if (!hot.ok() || !absl::SimpleAtoi(value, &count)) {
            ++unreadable;
            return true;
          }
          if (hot->kind != kHotCategory) return true;
          ++rows;
          added = days.Add(hot->community, hot->item, hot->day, count);
          return added.ok();
        }));
    RETURN_IF_ERROR(added);
  }
  Batch batch;
  days.Stage(batch);
  batch.Put(kIncidentsFamily, kPreparedKey, "1");
  RETURN_IF_ERROR(store.Write(batch, Durability::kSynced));
  if (rows > 0 || unreadable > 0) {
    log::Info("analytics: incident baselines filled from {} category rows ({} unreadable, skipped)",
              rows, unreadable);
  }
  return absl::OkStatus();
}

}  // namespace complaints::analytics
