// §5.2 periodic reports: built from the complaint views and the incidents
// once a week or month is over, stored under "R<report id>" in family
// kProjections (derived figures, like the projections), listed and rendered
// on request.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"
#include "services/analytics/app/analytics_app.h"
#include "services/analytics/app/analytics_families.h"
#include "services/analytics/domain/report.h"

namespace complaints::analytics {
namespace {

constexpr int kDefaultReports = 20;
constexpr int kMaxReports = 200;
constexpr size_t kMaxReportIdBytes = 40;

std::string ReportKey(absl::string_view report_id) { return absl::StrCat("R", report_id); }

}  // namespace

absl::StatusOr<int> AnalyticsApp::GenerateReports() {
  const absl::CivilDay today = absl::ToCivilDay(options_.parts.clock->Now(), options_.zone);
  int stored = 0;
  for (const ReportWindow& window : {LastCompleteWeek(today), LastCompleteMonth(today)}) {
    ASSIGN_OR_RETURN(std::optional<std::string> existing,
                     options_.parts.store->Get(kProjectionsFamily, ReportKey(window.report_id)));
    if (existing.has_value()) continue;
    // A window with nothing received (yet) is checked each refresh, so it is
    // checked on the counts: reading every stored view each minute was most
    // of analytics' idle CPU, and grew with the complaints stored.
    ASSIGN_OR_RETURN(const bool any, AnyReceived(absl::FormatCivilTime(window.from),
                                                 absl::FormatCivilTime(window.to)));
    if (!any) continue;
    ASSIGN_OR_RETURN(
        const std::vector<ComplaintFacts> facts,
        FactsReceived(absl::FormatCivilTime(window.from), absl::FormatCivilTime(window.to)));
    if (facts.empty()) continue;  // nothing to report (yet: late arrivals are not revisited)
    std::vector<v1::Incident> incidents;
    RETURN_IF_ERROR(options_.parts.store->Scan(
        kIncidentsFamily, "I", "J", SIZE_MAX, [&](absl::string_view, absl::string_view value) {
          v1::Incident incident;
          if (!incident.ParseFromArray(value.data(), static_cast<int>(value.size()))) return true;
          const absl::CivilDay first =
              absl::ToCivilDay(FromProto(incident.first_occurred_at()), options_.zone);
          if (first >= window.from && first <= window.to) incidents.push_back(std::move(incident));
          return true;
        }));
    const v1::Report report =
        BuildReport(window, options_.parts.clock->Now(), facts, incidents, options_.zone);
    Batch batch;
    batch.Put(kProjectionsFamily, ReportKey(window.report_id), report.SerializeAsString());
    RETURN_IF_ERROR(options_.parts.store->Write(batch, Durability::kSynced));
    ++stored;
  }
  return stored;
}

absl::StatusOr<v1::ListReportsResponse> AnalyticsApp::ListReports(
    const v1::ListReportsRequest& request) const {
  if (!v1::ReportPeriod_IsValid(request.period())) {
    return absl::InvalidArgumentError("period: WEEK, MONTH or unspecified for both");
  }
  if (request.limit() < 0 || request.limit() > kMaxReports) {
    return absl::InvalidArgumentError(absl::StrCat("limit: 1–", kMaxReports, ", or 0 for 20"));
  }
  std::vector<v1::Report> reports;
  RETURN_IF_ERROR(options_.parts.store->Scan(
      kProjectionsFamily, "R", "S", SIZE_MAX, [&](absl::string_view, absl::string_view value) {
        v1::Report report;
        if (!report.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          log::Error("analytics: a stored report is unreadable");
          return true;
        }
        if (request.period() != v1::REPORT_PERIOD_UNSPECIFIED &&
            report.period() != request.period()) {
          return true;
        }
        report.clear_communities();
        report.clear_incidents();
        reports.push_back(std::move(report));
        return true;
      }));
  std::sort(reports.begin(), reports.end(), [](const v1::Report& a, const v1::Report& b) {
    if (a.to_day() != b.to_day()) return a.to_day() > b.to_day();
    return a.period() > b.period();
  });
  const size_t limit =
      static_cast<size_t>(request.limit() == 0 ? kDefaultReports : request.limit());
  v1::ListReportsResponse response;
  for (size_t i = 0; i < reports.size() && i < limit; ++i) *response.add_reports() = reports[i];
  return response;
}

absl::StatusOr<v1::GetReportResponse> AnalyticsApp::GetReport(
    const v1::GetReportRequest& request) const {
  if (request.report_id().empty()) return absl::InvalidArgumentError("report_id: required");
  if (request.report_id().size() > kMaxReportIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("report_id: longer than ", kMaxReportIdBytes, " bytes"));
  }
  if (!v1::ReportFormat_IsValid(request.format())) {
    return absl::InvalidArgumentError("format: MARKDOWN, HTML or unspecified");
  }
  ASSIGN_OR_RETURN(std::optional<std::string> stored,
                   options_.parts.store->Get(kProjectionsFamily, ReportKey(request.report_id())));
  if (!stored.has_value()) {
    return absl::NotFoundError(absl::StrCat("report_id: no report ", request.report_id()));
  }
  v1::GetReportResponse response;
  if (!response.mutable_report()->ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("report ", request.report_id(), " is unreadable"));
  }
  if (request.format() == v1::REPORT_FORMAT_MARKDOWN) {
    response.set_rendered(RenderMarkdown(response.report()));
  } else if (request.format() == v1::REPORT_FORMAT_HTML) {
    response.set_rendered(RenderHtml(response.report()));
  }
  return response;
}

}  // namespace complaints::analytics
