#pragma once
// §5.2 the periodic report a centre posts for its residents: per community
// and for all, the complaints received in a week or month, how many were
// resolved and how fast, deadline compliance, satisfaction, the top causes
// and the incidents. Built from the complaint facts (no personal data); a
// figure with fewer than 5 complaints behind it is suppressed, so no resident
// can be singled out by a small count. Rendered to Markdown and to a
// self-contained HTML page. Pure.

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "complaints/v1/analytics.pb.h"
#include "services/analytics/domain/metrics.h"

namespace complaints::analytics {

inline constexpr int64_t kMinReportedComplaints = 5;

// The period a report covers; from and to are inclusive days.
struct ReportWindow {
  std::string report_id;
  v1::ReportPeriod period = v1::REPORT_PERIOD_UNSPECIFIED;
  absl::CivilDay from, to;
};

// The last ISO week (Monday–Sunday) and calendar month wholly before `today`.
ReportWindow LastCompleteWeek(absl::CivilDay today);
ReportWindow LastCompleteMonth(absl::CivilDay today);

// `facts`: the complaints received in the window; `incidents`: those that
// began in it.
v1::Report BuildReport(const ReportWindow& window, absl::Time generated_at,
                       const std::vector<ComplaintFacts>& facts,
                       const std::vector<v1::Incident>& incidents, const absl::TimeZone& zone);

std::string RenderMarkdown(const v1::Report& report);
std::string RenderHtml(const v1::Report& report);

}  // namespace complaints::analytics
