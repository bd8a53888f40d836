#include "services/analytics/domain/hot_issues.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/analytics/domain/metrics.h"
#include "services/analytics/domain/series.h"
#include "services/analytics/domain/terms.h"

namespace complaints::analytics {
namespace {

constexpr char kSeparator = '\x1f';

// `day` as DayOf writes it (HotDayKey's form).
std::string Key(absl::string_view community, absl::string_view day, char kind,
                absl::string_view item) {
  return absl::StrCat(HotPrefix(community), day, std::string(1, kSeparator), std::string(1, kind),
                      item);
}

// The complaint's hot-issue keys; with `all` false only its category key.
std::vector<std::string> KeysOf(const v1::ComplaintView& view, const absl::TimeZone& zone,
                                bool all = true) {
  const std::optional<v1::MetricsRow> dims = DimensionsOf(view, zone);
  if (!dims || dims->community().empty()) return {};
  const std::string& community = dims->community();
  const std::string& day = dims->day();
  const std::string category = Key(community, day, kHotCategory, dims->category());
  if (!all) return {category};
  std::vector<std::string> keys = {Key(community, day, kHotTotal, ""), category};
  for (const std::string& term : TermsOf(view.intake().content())) {
    keys.push_back(Key(community, day, kHotTerm, term));
  }
  return keys;
}

// What the keys depend on; equal inputs, equal keys (and no segmentation).
bool SameInputs(const v1::ComplaintView& a, const v1::ComplaintView& b) {
  const v1::IntakeState& x = a.intake();
  const v1::IntakeState& y = b.intake();
  return x.received() == y.received() && x.category() == y.category() &&
         x.received_at().seconds() == y.received_at().seconds() &&
         x.location().community() == y.location().community() &&
         x.location().public_area() == y.location().public_area() && x.content() == y.content();
}

double LogChoose(int64_t n, int64_t k) {
  return std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(k) + 1) -
         std::lgamma(static_cast<double>(n - k) + 1);
}

}  // namespace

std::string HotPrefix(absl::string_view community) {
  return absl::StrCat("H", std::string(1, kSeparator), community, std::string(1, kSeparator));
}

std::string HotDayKey(absl::string_view community, absl::CivilDay day) {
  return absl::StrCat(HotPrefix(community), absl::FormatCivilTime(day));
}

absl::StatusOr<HotKey> ParseHotKey(absl::string_view key) {
  std::vector<absl::string_view> parts = absl::StrSplit(key, kSeparator);
  HotKey out;
  if (parts.size() != 4 || parts[0] != "H" || parts[3].empty() || !ParseDay(parts[2], &out.day)) {
    return absl::DataLossError("malformed hot-issue key");
  }
  out.community = std::string(parts[1]);
  out.kind = parts[3][0];
  out.item = std::string(parts[3].substr(1));
  if (out.kind != kHotTotal && out.kind != kHotCategory && out.kind != kHotTerm) {
    return absl::DataLossError("malformed hot-issue key");
  }
  return out;
}

std::vector<std::pair<std::string, int64_t>> HotChanges(const v1::ComplaintView& before,
                                                        const v1::ComplaintView& after,
                                                        const absl::TimeZone& zone) {
  if (SameInputs(before, after)) return {};
  return KeyChanges(KeysOf(before, zone), KeysOf(after, zone));
}

std::vector<std::pair<std::string, int64_t>> HotCategoryChanges(const v1::ComplaintView& before,
                                                                const v1::ComplaintView& after,
                                                                const absl::TimeZone& zone) {
  if (SameInputs(before, after)) return {};
  return KeyChanges(KeysOf(before, zone, false), KeysOf(after, zone, false));
}

double BinomialUpperTail(int64_t k, int64_t n, double p) {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const double log_p = std::log(p), log_q = std::log1p(-p);
  std::vector<double> terms;
  for (int64_t x = k; x <= n; ++x) {
    terms.push_back(LogChoose(n, x) + static_cast<double>(x) * log_p +
                    static_cast<double>(n - x) * log_q);
  }
  const double top = *std::max_element(terms.begin(), terms.end());
  double sum = 0;
  for (double t : terms) sum += std::exp(t - top);
  return std::min(1.0, std::exp(top + std::log(sum)));
}

std::vector<RisingItem> RisingItems(const WindowCounts& counts, const HotOptions& options,
                                    int* tested) {
  *tested = 0;
  if (counts.recent_total == 0) return {};
  // The recent window's share of the community's complaints, which an item
  // whose share did not change would also have.
  const double share = counts.baseline_total > 0
                           ? static_cast<double>(counts.recent_total) /
                                 static_cast<double>(counts.recent_total + counts.baseline_total)
                           : static_cast<double>(options.recent_days) /
                                 (options.recent_days + options.baseline_days);
  std::vector<RisingItem> candidates;
  for (const auto& [key, window] : counts.items) {
    const auto& [kind, item] = key;
    const auto [recent, baseline] = window;
    const int64_t minimum =
        kind == kHotCategory ? options.min_category_complaints : options.min_term_complaints;
    if (kind == kHotTotal || recent < minimum) continue;
    ++*tested;
    RisingItem rising{.kind = kind, .item = item, .recent = recent, .baseline = baseline};
    rising.rate_ratio = (static_cast<double>(recent) / static_cast<double>(counts.recent_total)) /
                        ((static_cast<double>(baseline) + 0.5) /
                         (static_cast<double>(counts.baseline_total) + 0.5));
    rising.p_value = BinomialUpperTail(recent, recent + baseline, share);
    candidates.push_back(std::move(rising));
  }
  // Benjamini–Hochberg over every tested item.
  std::sort(candidates.begin(), candidates.end(),
            [](const RisingItem& a, const RisingItem& b) { return a.p_value < b.p_value; });
  const double m = static_cast<double>(candidates.size());
  double running = 1;
  for (size_t i = candidates.size(); i-- > 0;) {
    running = std::min(running, candidates[i].p_value * m / static_cast<double>(i + 1));
    candidates[i].q_value = running;
  }
  std::vector<RisingItem> out;
  for (RisingItem& item : candidates) {
    if (item.q_value <= options.max_q_value && item.rate_ratio > 1) out.push_back(std::move(item));
  }
  std::stable_sort(out.begin(), out.end(), [](const RisingItem& a, const RisingItem& b) {
    if (a.q_value != b.q_value) return a.q_value < b.q_value;
    return a.rate_ratio > b.rate_ratio;
  });
  return out;
}

}  // namespace complaints::analytics
