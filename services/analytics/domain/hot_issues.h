#pragma once
// §5.1 hot issues: the categories and terms rising in a community's last 7
// days against its previous 4 weeks. Each complaint counts once per term of
// its (redacted) text and once for its category, on its received day, per
// community. An item rises when its share of the community's complaints in
// the recent window is significantly above its share in the baseline: an
// exact conditional binomial test (given the item's complaints in both
// windows, how many fall in the recent one if its share did not change),
// with the Benjamini–Hochberg false discovery rate over every item tested.
// Items need a minimum of complaints, so a small count never stands out on
// its ratio alone and a term seen in a few complaints is never shown. Pure.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "complaints/v1/analytics.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints::analytics {

// Keys (family kSeries, after the partition prefix):
// "H\x1f<community>\x1f<day>\x1f<kind><item>", kind 'n' (every complaint,
// no item), 'c' (a category) or 't' (a term).
inline constexpr char kHotTotal = 'n';
inline constexpr char kHotCategory = 'c';
inline constexpr char kHotTerm = 't';

struct HotKey {
  std::string community;
  absl::CivilDay day;
  char kind = kHotTotal;
  std::string item;
};

// The prefix of a community's keys from `day` on: day ranges are key ranges.
std::string HotPrefix(absl::string_view community);
std::string HotDayKey(absl::string_view community, absl::CivilDay day);
// DATA_LOSS for a key that is not a hot-issue key.
absl::StatusOr<HotKey> ParseHotKey(absl::string_view key);

// The hot-issue count changes of a complaint moving from `before` to `after`.
std::vector<std::pair<std::string, int64_t>> HotChanges(const v1::ComplaintView& before,
                                                        const v1::ComplaintView& after,
                                                        const absl::TimeZone& zone);
// Only the category key's changes of HotChanges (no terms read).
std::vector<std::pair<std::string, int64_t>> HotCategoryChanges(const v1::ComplaintView& before,
                                                                const v1::ComplaintView& after,
                                                                const absl::TimeZone& zone);

// One community's counts in the two windows.
struct WindowCounts {
  int64_t recent_total = 0;
  int64_t baseline_total = 0;
  // (kind, item) -> (recent, baseline)
  std::map<std::pair<char, std::string>, std::pair<int64_t, int64_t>> items;
};

struct HotOptions {
  int recent_days = 7;
  int baseline_days = 28;
  double max_q_value = 0.05;
  int64_t min_category_complaints = 3;
  int64_t min_term_complaints = 5;
};

struct RisingItem {
  char kind = kHotTerm;
  std::string item;
  int64_t recent = 0, baseline = 0;
  double rate_ratio = 0;  // recent share over baseline share
  double p_value = 1, q_value = 1;
};

// The significantly rising items, lowest q-value first (then the larger ratio).
// Returns how many items were tested in `tested`.
std::vector<RisingItem> RisingItems(const WindowCounts& counts, const HotOptions& options,
                                    int* tested);

// P(X >= k) for X ~ Binomial(n, p), computed in log space.
double BinomialUpperTail(int64_t k, int64_t n, double p);

}  // namespace complaints::analytics
