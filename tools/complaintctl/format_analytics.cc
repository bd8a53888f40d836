// complaintctl's text for the analysts' answers (§5.1): counts, figures,
// incidents, hot issues and projections.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "tools/complaintctl/format.h"

namespace complaints::ctl {

std::string FormatCounts(const v1::GetCountsResponse& counts) {
  std::string out = absl::StrFormat("%-10s  %-12s  %-3s  %-16s  %6s\n", "day", "category", "pri",
                                    "department", "count");
  for (const v1::CountRow& row : counts.rows()) {
    absl::StrAppend(
        &out, absl::StrFormat("%-10s  %-12s  %-3s  %-16s  %6d\n", EscapeForTerminal(row.day()),
                              EscapeForTerminal(row.category()), PriorityLabel(row.priority()),
                              EscapeForTerminal(row.department()), row.count()));
  }
  absl::StrAppend(&out, absl::StrFormat("%-47s  %6d\n", "total", counts.total()));
  return out;
}

std::string FormatFigures(const v1::GetFiguresResponse& figures) {
  std::string out = absl::StrFormat(
      "%-36s %7s %7s %7s %9s %9s %9s %9s %6s %7s %7s %7s %5s %6s %6s %6s\n", "group", "cases",
      "matters", "resolved", "resp p50", "resp p90", "res p50", "res p90", "SLA", "on-time",
      "overdue", "no-tgt", "esc", "satisf", "reopen", "recur");
  for (const v1::MetricsRow& row : figures.rows()) {
    std::vector<std::string> parts;
    for (const std::string* value : {&row.day(), &row.week(), &row.month(), &row.category(),
                                     &row.community(), &row.department(), &row.handler()}) {
      if (!value->empty()) parts.push_back(EscapeForTerminal(*value));
    }
    if (row.channel() != v1::CHANNEL_UNSPECIFIED) parts.push_back(v1::Channel_Name(row.channel()));
    const std::string group = parts.empty() ? "(all)" : absl::StrJoin(parts, " / ");
    absl::StrAppend(
        &out,
        absl::StrFormat(
            "%-36s %7d %7d %7d %8.0fm %8.0fm %8.0fm %8.0fm %6s %7d %7d %7d %5d %6.2f %5.0f%% "
            "%5.0f%%\n",
            group, row.complaints(), row.matters(), row.resolved(), row.response_minutes_p50(),
            row.response_minutes_p90(), row.resolution_minutes_p50(), row.resolution_minutes_p90(),
            row.on_time() + row.overdue() == 0
                ? std::string("–")
                : absl::StrFormat("%.0f%%", 100 * row.sla_compliance()),
            row.on_time(), row.overdue(), row.no_target(), row.escalations(),
            row.satisfaction_mean(), 100 * row.reopen_rate(), 100 * row.recurrence_rate()));
  }
  return out;
}

std::string FormatIncidents(const v1::ListIncidentsResponse& incidents) {
  if (incidents.incidents().empty()) return "(no incidents)\n";
  std::string out = absl::StrFormat("%-20s %-14s %-32s %-25s %-25s %5s %5s\n", "incident",
                                    "category", "place", "first", "latest", "size", "open");
  for (const v1::Incident& incident : incidents.incidents()) {
    const std::string place =
        incident.community().empty()
            ? incident.public_area()
            : absl::StrCat(incident.community(),
                           incident.building().empty() ? "" : " / " + incident.building());
    absl::StrAppend(
        &out, absl::StrFormat(
                  "%-20s %-14s %-32s %-25s %-25s %5d %5d\n",
                  EscapeForTerminal(incident.incident_id()), EscapeForTerminal(incident.category()),
                  EscapeForTerminal(place), TimeOrNone(incident.first_occurred_at()),
                  TimeOrNone(incident.last_occurred_at()), incident.size(), incident.open()));
  }
  return out;
}

std::string FormatHotIssues(const v1::GetHotIssuesResponse& hot) {
  std::string out = absl::StrFormat(
      "rising in %s … %s against %s … %s (%d communities, %d items tested)\n", hot.recent_from(),
      hot.recent_to(), hot.baseline_from(), hot.baseline_to(), hot.communities(), hot.tested());
  if (hot.issues().empty()) return out + "nothing rises significantly\n";
  absl::StrAppend(&out, absl::StrFormat("%-24s %-8s %-20s %7s %8s %7s %9s\n", "community", "kind",
                                        "item", "recent", "baseline", "ratio", "q"));
  for (const v1::HotIssue& issue : hot.issues()) {
    absl::StrAppend(
        &out, absl::StrFormat("%-24s %-8s %-20s %7d %8d %7.1f %9.2g\n",
                              EscapeForTerminal(issue.community()),
                              issue.kind() == v1::HOT_ISSUE_KIND_CATEGORY ? "category" : "term",
                              EscapeForTerminal(issue.item()), issue.recent(), issue.baseline(),
                              issue.rate_ratio(), issue.q_value()));
  }
  return out;
}

std::string FormatProjection(const v1::GetProjectionResponse& projection) {
  std::string out = absl::StrFormat(
      "model %s%s from %s, %d periods%s\n", projection.model(),
      projection.combined_size() > 1
          ? absl::StrCat(" (median of ", absl::StrJoin(projection.combined(), ", "), ")")
          : "",
      projection.origin(), projection.horizon(), projection.stored() ? " (stored)" : "");
  for (const std::string& note : projection.notes()) {
    absl::StrAppend(&out, "note: ", EscapeForTerminal(note), "\n");
  }
  std::vector<std::string> parameters;
  for (const v1::ModelParameter& p : projection.parameters()) {
    parameters.push_back(absl::StrFormat("%s=%.3g", p.name(), p.value()));
  }
  if (!parameters.empty()) absl::StrAppend(&out, "  ", absl::StrJoin(parameters, " "), "\n");
  absl::StrAppend(&out,
                  absl::StrFormat("backtest over %d cuts %d apart (MASE; below 1 beats "
                                  "seasonal naive):\n",
                                  projection.backtest_origins(), projection.backtest_spacing()));
  for (const v1::ModelAccuracy& m : projection.backtest()) {
    absl::StrAppend(
        &out, absl::StrFormat("  %-16s MASE %.3f  80%% held %.0f%%  95%% held %.0f%%\n", m.model(),
                              m.mase(), 100 * m.coverage_80(), 100 * m.coverage_95()));
  }
  absl::StrAppend(
      &out, absl::StrFormat("intervals scaled x%.2f / x%.2f: held-out coverage %.0f%% / %.0f%%\n",
                            projection.interval_widening_80(), projection.interval_widening_95(),
                            100 * projection.held_out_coverage_80(),
                            100 * projection.held_out_coverage_95()));
  absl::StrAppend(&out, absl::StrFormat("%-10s %9s %19s %19s %7s\n", "period", "forecast",
                                        "80% interval", "95% interval", "actual"));
  for (const v1::ProjectionPoint& p : projection.points()) {
    absl::StrAppend(
        &out, absl::StrFormat("%-10s %9.1f %9.1f–%-9.1f %9.1f–%-9.1f %7s\n", p.period(),
                              p.forecast(), p.lower_80(), p.upper_80(), p.lower_95(), p.upper_95(),
                              p.has_actual() ? absl::StrCat(p.actual()) : ""));
  }
  return out;
}

}  // namespace complaints::ctl
