#include "services/analytics/domain/report.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "libs/core/time_util.h"

namespace complaints::analytics {
namespace {

constexpr size_t kTopCauses = 5;

// The figures of one group of complaints, suppressed where fewer than 5 stand behind them.
v1::ReportRow RowOf(const std::string& community, const v1::MetricsRow& m,
                    const std::vector<v1::MetricsRow>& categories) {
  v1::ReportRow row;
  row.set_community(community);
  if (m.complaints() < kMinReportedComplaints) {
    row.set_fewer_than_5(true);
    return row;
  }
  row.set_complaints(m.complaints());
  if (m.resolved() >= kMinReportedComplaints) {
    row.set_resolved(m.resolved());
    row.set_resolution_hours_p50(m.resolution_minutes_p50() / 60);
    row.set_resolution_hours_p90(m.resolution_minutes_p90() / 60);
  }
  if (m.on_time() + m.overdue() >= kMinReportedComplaints) {
    row.set_sla_compliance(m.sla_compliance());
  }
  if (m.on_time() + m.overdue() + m.no_target() >= kMinReportedComplaints) {
    row.set_no_target(m.no_target());
  }
  if (m.satisfaction_count() >= kMinReportedComplaints) {
    row.set_satisfaction_mean(m.satisfaction_mean());
    row.set_satisfaction_count(m.satisfaction_count());
  }
  std::vector<const v1::MetricsRow*> causes;
  for (const v1::MetricsRow& c : categories) {
    if (c.complaints() >= kMinReportedComplaints) causes.push_back(&c);
  }
  std::stable_sort(causes.begin(), causes.end(),
                   [](const auto* a, const auto* b) { return a->complaints() > b->complaints(); });
  for (size_t i = 0; i < causes.size() && i < kTopCauses; ++i) {
    v1::ReportCause* cause = row.add_top_causes();
    cause->set_category(causes[i]->category());
    cause->set_complaints(causes[i]->complaints());
  }
  return row;
}

std::string Hours(const v1::ReportRow& row, bool p90) {
  if (!row.has_resolution_hours_p50()) return "–";
  return absl::StrFormat("%.1f h", p90 ? row.resolution_hours_p90() : row.resolution_hours_p50());
}

std::string Percent(bool has, double value) {
  return has ? absl::StrFormat("%.0f %%", 100 * value) : "–";
}

std::string Satisfaction(const v1::ReportRow& row) {
  return row.has_satisfaction_mean()
             ? absl::StrFormat("%.1f / 5 (%d)", row.satisfaction_mean(), row.satisfaction_count())
             : "–";
}

std::string Causes(const v1::ReportRow& row) {
  std::vector<std::string> parts;
  for (const v1::ReportCause& c : row.top_causes()) {
    parts.push_back(absl::StrCat(c.category(), " (", c.complaints(), ")"));
  }
  return parts.empty() ? "–" : absl::StrJoin(parts, ", ");
}

// The cells of a row as text, in table order.
std::vector<std::string> Cells(const v1::ReportRow& row) {
  const std::string name = row.community().empty() ? "All communities" : row.community();
  if (row.fewer_than_5()) return {name, "fewer than 5", "–", "–", "–", "–", "–", "–", "–", "–"};
  return {name,
          absl::StrCat(row.complaints()),
          row.has_resolved() ? absl::StrCat(row.resolved()) : "–",
          Hours(row, false),
          Hours(row, true),
          Percent(row.has_sla_compliance(), row.sla_compliance()),
          row.has_no_target() ? absl::StrCat(row.no_target()) : "–",
          Satisfaction(row),
          Causes(row),
          absl::StrCat(row.incidents())};
}

const std::vector<std::string>& Headers() {
  static const auto* headers = new std::vector<std::string>{
      "Community", "Complaints", "Resolved",     "Resolution (median)", "Resolution (90 %)",
      "On time",   "No target",  "Satisfaction", "Top causes",          "Incidents"};
  return *headers;
}

std::string Title(const v1::Report& report) {
  return absl::StrCat(report.period() == v1::REPORT_PERIOD_WEEK ? "Weekly" : "Monthly",
                      " complaints report, ", report.from_day(), " to ", report.to_day());
}

std::string EscapeHtml(absl::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// Markdown cells: a pipe or a line break would break the table.
std::string EscapeMarkdown(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '[' || c == ']' ||
        c == '<' || c == '>') {
      out.push_back('\\');
    }
    out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  }
  return out;
}

std::string IncidentSize(const v1::ReportIncident& incident) {
  return incident.complaints() > 0 ? absl::StrCat(incident.complaints()) : "fewer than 5";
}

}  // namespace

ReportWindow LastCompleteWeek(absl::CivilDay today) {
  const absl::CivilDay this_monday = absl::PrevWeekday(today + 1, absl::Weekday::monday);
  const absl::CivilDay from = this_monday - 7;
  // ISO week of the Thursday, whose year is the week's year.
  const absl::CivilDay thursday = from + 3;
  const int week = static_cast<int>((absl::GetYearDay(thursday) - 1) / 7 + 1);
  return {absl::StrFormat("week-%04d-W%02d", thursday.year(), week), v1::REPORT_PERIOD_WEEK, from,
          from + 6};
}

ReportWindow LastCompleteMonth(absl::CivilDay today) {
  const absl::CivilMonth month = absl::CivilMonth(today) - 1;
  const absl::CivilDay from(month);
  const absl::CivilDay to = absl::CivilDay(month + 1) - 1;
  return {absl::StrFormat("month-%04d-%02d", month.year(), month.month()), v1::REPORT_PERIOD_MONTH,
          from, to};
}

v1::Report BuildReport(const ReportWindow& window, absl::Time generated_at,
                       const std::vector<ComplaintFacts>& facts,
                       const std::vector<v1::Incident>& incidents, const absl::TimeZone& zone) {
  v1::Report report;
  report.set_report_id(window.report_id);
  report.set_period(window.period);
  report.set_from_day(absl::FormatCivilTime(window.from));
  report.set_to_day(absl::FormatCivilTime(window.to));
  *report.mutable_generated_at() = ToProto(generated_at);

  std::map<std::string, int> incidents_by_community;
  for (const v1::Incident& incident : incidents) {
    const std::string community =
        incident.community().empty() ? incident.public_area() : incident.community();
    ++incidents_by_community[community];
    v1::ReportIncident* listed = report.add_incidents();
    listed->set_community(community);
    listed->set_place(incident.community().empty() ? incident.public_area() : incident.building());
    listed->set_category(incident.category());
    listed->set_first_day(
        absl::FormatCivilTime(absl::ToCivilDay(FromProto(incident.first_occurred_at()), zone)));
    if (incident.size() >= kMinReportedComplaints) listed->set_complaints(incident.size());
  }

  const std::vector<v1::MetricsRow> all = Aggregate(facts, {});
  const std::vector<v1::MetricsRow> all_causes = Aggregate(facts, {Dimension::kCategory});
  *report.mutable_total() = RowOf("", all.empty() ? v1::MetricsRow() : all.front(), all_causes);
  if (!report.total().fewer_than_5()) report.mutable_total()->set_incidents(incidents.size());

  std::map<std::string, std::vector<v1::MetricsRow>> causes;
  for (v1::MetricsRow& row : Aggregate(facts, {Dimension::kCommunity, Dimension::kCategory})) {
    causes[row.community()].push_back(std::move(row));
  }
  for (const v1::MetricsRow& row : Aggregate(facts, {Dimension::kCommunity})) {
    v1::ReportRow* community = report.add_communities();
    *community = RowOf(row.community(), row, causes[row.community()]);
    if (!community->fewer_than_5())
      community->set_incidents(incidents_by_community[row.community()]);
  }
  return report;
}

std::string RenderMarkdown(const v1::Report& report) {
  std::string out = absl::StrCat("# ", Title(report), "\n\n");
  absl::StrAppend(&out,
                  "Complaints received in the period. A dash is a figure with fewer than 5 "
                  "complaints behind it, left out so that no one can be singled out.\n\n");
  absl::StrAppend(&out, "| ", absl::StrJoin(Headers(), " | "), " |\n|");
  for (size_t i = 0; i < Headers().size(); ++i) out += "---|";
  out += "\n";
  auto line = [&](const v1::ReportRow& row) {
    std::vector<std::string> cells = Cells(row);
    for (std::string& cell : cells) cell = EscapeMarkdown(cell);
    absl::StrAppend(&out, "| ", absl::StrJoin(cells, " | "), " |\n");
  };
  line(report.total());
  for (const v1::ReportRow& row : report.communities()) line(row);
  if (!report.incidents().empty()) {
    absl::StrAppend(&out,
                    "\n## Incidents\n\nMany complaints about one matter at one place, "
                    "handled as one.\n\n| Community | Place | Matter | From | Complaints |\n"
                    "|---|---|---|---|---|\n");
    for (const v1::ReportIncident& incident : report.incidents()) {
      absl::StrAppend(&out, "| ", EscapeMarkdown(incident.community()), " | ",
                      EscapeMarkdown(incident.place()), " | ", EscapeMarkdown(incident.category()),
                      " | ", incident.first_day(), " | ", IncidentSize(incident), " |\n");
    }
  }
  absl::StrAppend(&out, "\nGenerated ", FormatRfc3339(report.generated_at()), ".\n");
  return out;
}

std::string RenderHtml(const v1::Report& report) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>",
      EscapeHtml(Title(report)),
      "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      "th,td{border:1px solid #999;padding:.3em .6em;text-align:left}th{background:#eee}"
      "</style></head><body>\n<h1>",
      EscapeHtml(Title(report)),
      "</h1>\n<p>Complaints received in the period. A dash is a figure with fewer than 5 "
      "complaints behind it, left out so that no one can be singled out.</p>\n<table>\n<tr>");
  for (const std::string& header : Headers())
    absl::StrAppend(&out, "<th>", EscapeHtml(header), "</th>");
  out += "</tr>\n";
  auto line = [&](const v1::ReportRow& row) {
    out += "<tr>";
    for (const std::string& cell : Cells(row))
      absl::StrAppend(&out, "<td>", EscapeHtml(cell), "</td>");
    out += "</tr>\n";
  };
  line(report.total());
  for (const v1::ReportRow& row : report.communities()) line(row);
  out += "</table>\n";
  if (!report.incidents().empty()) {
    out +=
        "<h2>Incidents</h2>\n<p>Many complaints about one matter at one place, handled as "
        "one.</p>\n<table>\n<tr><th>Community</th><th>Place</th><th>Matter</th><th>From</th>"
        "<th>Complaints</th></tr>\n";
    for (const v1::ReportIncident& incident : report.incidents()) {
      absl::StrAppend(&out, "<tr><td>", EscapeHtml(incident.community()), "</td><td>",
                      EscapeHtml(incident.place()), "</td><td>", EscapeHtml(incident.category()),
                      "</td><td>", incident.first_day(), "</td><td>",
                      EscapeHtml(IncidentSize(incident)), "</td></tr>\n");
    }
    out += "</table>\n";
  }
  absl::StrAppend(&out, "<p>Generated ", FormatRfc3339(report.generated_at()),
                  ".</p>\n</body></html>\n");
  return out;
}

}  // namespace complaints::analytics
