#include "services/analytics/domain/metrics.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"

namespace complaints::analytics {
namespace {

// FormatTime's "%G-W%V" and "%Y-%m" of the day, written out by hand
// (FormatTime parses its format and looks the zone up on every call, and
// figures take both for every complaint of a range).
std::string IsoWeekOf(absl::CivilDay day) {
  // ISO 8601: weeks start on Monday; a week belongs to the year of its Thursday.
  const absl::CivilDay thursday = day - static_cast<int>(absl::GetWeekday(day)) + 3;
  const int week = (absl::GetYearDay(thursday) - 1) / 7 + 1;
  if (thursday.year() < 1000 || thursday.year() > 9999) {
    return absl::FormatTime("%G-W%V", absl::FromCivil(day, absl::UTCTimeZone()),
                            absl::UTCTimeZone());
  }
  return absl::StrCat(thursday.year(), "-W", week < 10 ? "0" : "", week);
}

std::string MonthOf(absl::CivilDay day) {
  if (day.year() < 1000 || day.year() > 9999) {
    return absl::FormatTime("%Y-%m", absl::FromCivil(day, absl::UTCTimeZone()),
                            absl::UTCTimeZone());
  }
  return absl::StrCat(day.year(), "-", day.month() < 10 ? "0" : "", day.month());
}

std::string KeyOf(const v1::MetricsRow& row, const std::vector<Dimension>& grouping) {
  std::string key;
  for (Dimension dimension : grouping) {
    switch (dimension) {
      case Dimension::kDay:
        absl::StrAppend(&key, row.day(), "\x1f");
        break;
      case Dimension::kWeek:
        absl::StrAppend(&key, row.week(), "\x1f");
        break;
      case Dimension::kMonth:
        absl::StrAppend(&key, row.month(), "\x1f");
        break;
      case Dimension::kCategory:
        absl::StrAppend(&key, row.category(), "\x1f");
        break;
      case Dimension::kCommunity:
        absl::StrAppend(&key, row.community(), "\x1f");
        break;
      case Dimension::kChannel:
        absl::StrAppend(&key, static_cast<int>(row.channel()), "\x1f");
        break;
      case Dimension::kDepartment:
        absl::StrAppend(&key, row.department(), "\x1f");
        break;
      case Dimension::kHandler:
        absl::StrAppend(&key, row.handler(), "\x1f");
        break;
    }
  }
  return key;
}

v1::MetricsRow Projected(const v1::MetricsRow& row, const std::vector<Dimension>& grouping) {
  v1::MetricsRow out;
  for (Dimension dimension : grouping) {
    switch (dimension) {
      case Dimension::kDay:
        out.set_day(row.day());
        break;
      case Dimension::kWeek:
        out.set_week(row.week());
        break;
      case Dimension::kMonth:
        out.set_month(row.month());
        break;
      case Dimension::kCategory:
        out.set_category(row.category());
        break;
      case Dimension::kCommunity:
        out.set_community(row.community());
        break;
      case Dimension::kChannel:
        out.set_channel(row.channel());
        break;
      case Dimension::kDepartment:
        out.set_department(row.department());
        break;
      case Dimension::kHandler:
        out.set_handler(row.handler());
        break;
    }
  }
  return out;
}

struct Group {
  v1::MetricsRow row;
  std::vector<absl::Duration> responses, resolutions;
  int64_t satisfaction_sum = 0, reopened = 0, checked = 0, recurred = 0;
  // Resolved at least once: resolved now, or reopened (which follows a result).
  int64_t ever_resolved = 0;
};

double Ratio(int64_t part, int64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / whole;
}

}  // namespace

double QuantileMinutes(std::vector<absl::Duration> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t rank = static_cast<size_t>(std::ceil(q * values.size()));
  return absl::ToDoubleMinutes(values[std::clamp<size_t>(rank, 1, values.size()) - 1]);
}

std::optional<v1::MetricsRow> DimensionsOf(const v1::ComplaintView& view,
                                           const absl::TimeZone& zone) {
  const v1::IntakeState& intake = view.intake();
  if (!intake.received() || intake.category().empty()) return std::nullopt;
  v1::MetricsRow dims;
  dims.set_day(DayOf(FromProto(intake.received_at()), zone));
  dims.set_category(intake.category());
  dims.set_community(intake.location().community().empty() ? intake.location().public_area()
                                                           : intake.location().community());
  dims.set_channel(intake.channel());
  dims.set_department(view.dispatch().department().empty() ? "unassigned"
                                                           : view.dispatch().department());
  dims.set_handler(view.dispatch().handler());
  return dims;
}

std::optional<ComplaintFacts> FactsOf(const v1::ComplaintView& view, const absl::TimeZone& zone) {
  std::optional<v1::MetricsRow> dimensions = DimensionsOf(view, zone);
  if (!dimensions) return std::nullopt;
  ComplaintFacts facts;
  const absl::Time received = FromProto(view.intake().received_at());
  v1::MetricsRow& dims = facts.dimensions;
  dims = *std::move(dimensions);
  const absl::CivilDay day = absl::ToCivilDay(received, zone);
  dims.set_week(IsoWeekOf(day));
  dims.set_month(MonthOf(day));
  // Response and resolution count from when the centre recorded it (§3.2).
  const absl::Time recorded = FromProto(ClockStart(view));
  if (view.dispatch().has_first_accepted_at()) {
    facts.response = FromProto(view.dispatch().first_accepted_at()) - recorded;
  }
  const v1::HandlingState& handling = view.tracking().handling();
  if (handling.has_resolved_at()) facts.resolution = FromProto(handling.resolved_at()) - recorded;
  facts.verdict = SlaVerdictOf(view);
  for (const std::string& timer : view.tracking().sla().fired_timer_ids()) {
    facts.escalations += absl::StrContains(timer, "/escalation/") ? 1 : 0;
  }
  if (handling.satisfaction() > 0) facts.satisfaction = handling.satisfaction();
  facts.reopened = handling.reopen_rounds() > 0;
  if (handling.long_term_checked()) facts.recurred = handling.recurred();
  facts.duplicate = !handling.duplicate_of().empty();
  return facts;
}

std::vector<v1::MetricsRow> Aggregate(const std::vector<ComplaintFacts>& facts,
                                      const std::vector<Dimension>& grouping) {
  std::map<std::string, Group> groups;
  for (const ComplaintFacts& complaint : facts) {
    Group& group = groups[KeyOf(complaint.dimensions, grouping)];
    if (group.row.complaints() == 0) group.row = Projected(complaint.dimensions, grouping);
    group.row.set_complaints(group.row.complaints() + 1);
    if (!complaint.duplicate) group.row.set_matters(group.row.matters() + 1);
    if (complaint.response) group.responses.push_back(*complaint.response);
    if (complaint.resolution) {
      group.resolutions.push_back(*complaint.resolution);
      group.row.set_resolved(group.row.resolved() + 1);
    }
    switch (complaint.verdict) {
      case v1::SLA_VERDICT_ON_TIME:
        group.row.set_on_time(group.row.on_time() + 1);
        break;
      case v1::SLA_VERDICT_OVERDUE:
        group.row.set_overdue(group.row.overdue() + 1);
        break;
      case v1::SLA_VERDICT_NO_TARGET:
        group.row.set_no_target(group.row.no_target() + 1);
        break;
      default:
        break;
    }
    group.row.set_escalations(group.row.escalations() + complaint.escalations);
    if (complaint.satisfaction) {
      group.satisfaction_sum += *complaint.satisfaction;
      group.row.set_satisfaction_count(group.row.satisfaction_count() + 1);
    }
    group.reopened += complaint.reopened;
    group.ever_resolved += complaint.resolution.has_value() || complaint.reopened;
    if (complaint.recurred) {
      ++group.checked;
      group.recurred += *complaint.recurred;
    }
  }
  std::vector<v1::MetricsRow> rows;
  for (auto& [key, group] : groups) {
    v1::MetricsRow& row = group.row;
    row.set_response_minutes_p50(QuantileMinutes(group.responses, 0.5));
    row.set_response_minutes_p90(QuantileMinutes(group.responses, 0.9));
    row.set_resolution_minutes_p50(QuantileMinutes(group.resolutions, 0.5));
    row.set_resolution_minutes_p90(QuantileMinutes(group.resolutions, 0.9));
    row.set_sla_compliance(Ratio(row.on_time(), row.on_time() + row.overdue()));
    row.set_satisfaction_mean(Ratio(group.satisfaction_sum, row.satisfaction_count()));
    row.set_reopen_rate(Ratio(group.reopened, group.ever_resolved));
    row.set_recurrence_rate(Ratio(group.recurred, group.checked));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace complaints::analytics
