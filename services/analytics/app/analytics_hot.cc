// §5.1 hot issues: each community's counts of the two windows read from the
// store (every partition's share added up), tested by domain/hot_issues.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/runner/partitioning.h"
#include "services/analytics/app/analytics_app.h"
#include "services/analytics/app/analytics_families.h"
#include "services/analytics/domain/counts.h"
#include "services/analytics/domain/hot_issues.h"

namespace complaints::analytics {
namespace {

constexpr int kDefaultLimit = 10;
constexpr int kMaxLimit = 100;
constexpr size_t kMaxCommunityBytes = 200;

}  // namespace

absl::StatusOr<std::vector<std::string>> AnalyticsApp::Communities() const {
  std::set<std::string> communities;
  for (int32_t partition = 0; partition < options_.parts.store->partitions(); ++partition) {
    const std::string begin = SeriesIndexKey(partition, {v1::FIGURE_DIMENSION_COMMUNITY, ""});
    // The index keys of the community series: "<partition>#<dimension>\x1f<community>\x1f".
    const std::string prefix = begin.substr(0, begin.size() - 1);
    RETURN_IF_ERROR(
        options_.parts.store->Scan(kSeriesFamily, prefix, prefix + "\xff", SIZE_MAX,
                                   [&](absl::string_view key, absl::string_view) {
                                     absl::string_view community = key.substr(prefix.size());
                                     if (!community.empty() && community.back() == '\x1f')
                                       community.remove_suffix(1);
                                     if (!community.empty()) communities.emplace(community);
                                     return true;
                                   }));
  }
  return std::vector<std::string>(communities.begin(), communities.end());
}

absl::StatusOr<v1::GetHotIssuesResponse> AnalyticsApp::GetHotIssues(
    const v1::GetHotIssuesRequest& request) const {
  RETURN_IF_ERROR(ValidateDay("day", request.day()));
  if (request.community().size() > kMaxCommunityBytes ||
      request.community().find('\x1f') != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("community: at most ", kMaxCommunityBytes, " bytes, no control characters"));
  }
  if (request.limit() < 0 || request.limit() > kMaxLimit) {
    return absl::InvalidArgumentError(absl::StrCat("limit: 1–", kMaxLimit, ", or 0 for 10"));
  }
  const size_t limit = static_cast<size_t>(request.limit() == 0 ? kDefaultLimit : request.limit());
  const HotOptions options;
  absl::CivilDay day = absl::ToCivilDay(options_.parts.clock->Now(), options_.zone);
  if (!request.day().empty()) absl::ParseCivilTime(request.day(), &day);
  const absl::CivilDay recent_from = day - (options.recent_days - 1);
  const absl::CivilDay baseline_from = recent_from - options.baseline_days;

  std::vector<std::string> communities;
  if (request.community().empty()) {
    ASSIGN_OR_RETURN(communities, Communities());
  } else {
    communities.push_back(request.community());
  }
  v1::GetHotIssuesResponse response;
  response.set_recent_from(absl::FormatCivilTime(recent_from));
  response.set_recent_to(absl::FormatCivilTime(day));
  response.set_baseline_from(absl::FormatCivilTime(baseline_from));
  response.set_baseline_to(absl::FormatCivilTime(recent_from - 1));
  for (const std::string& community : communities) {
    WindowCounts counts;
    for (int32_t partition = 0; partition < options_.parts.store->partitions(); ++partition) {
      const std::string prefix = PartitionPrefix(partition);
      RETURN_IF_ERROR(options_.parts.store->Scan(
          kSeriesFamily, prefix + HotDayKey(community, baseline_from),
          prefix + HotDayKey(community, day + 1), SIZE_MAX,
          [&](absl::string_view key, absl::string_view value) {
            absl::StatusOr<HotKey> parsed = ParseHotKey(key.substr(kPartitionPrefixBytes));
            int64_t count = 0;
            if (!parsed.ok() || !absl::SimpleAtoi(value, &count)) {
              log::Error("analytics: hot-issue row {} is unreadable", EscapedPrefix(key, 80));
              return true;
            }
            const bool recent = parsed->day >= recent_from;
            if (parsed->kind == kHotTotal) {
              (recent ? counts.recent_total : counts.baseline_total) += count;
            } else {
              auto& window = counts.items[{parsed->kind, parsed->item}];
              (recent ? window.first : window.second) += count;
            }
            return true;
          }));
    }
    int tested = 0;
    std::vector<RisingItem> rising = RisingItems(counts, options, &tested);
    response.set_tested(response.tested() + tested);
    response.set_communities(response.communities() + 1);
    for (size_t i = 0; i < rising.size() && i < limit; ++i) {
      v1::HotIssue* issue = response.add_issues();
      issue->set_community(community);
      issue->set_kind(rising[i].kind == kHotCategory ? v1::HOT_ISSUE_KIND_CATEGORY
                                                     : v1::HOT_ISSUE_KIND_TERM);
      issue->set_item(rising[i].item);
      issue->set_recent(rising[i].recent);
      issue->set_baseline(rising[i].baseline);
      issue->set_rate_ratio(rising[i].rate_ratio);
      issue->set_p_value(rising[i].p_value);
      issue->set_q_value(rising[i].q_value);
    }
  }
  return response;
}

}  // namespace complaints::analytics
