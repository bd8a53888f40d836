#include "services/analytics/domain/forecast_models.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <optional>

#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "services/analytics/domain/ets.h"

namespace complaints::analytics {
namespace {

constexpr int kMedianWeeks = 8;
// Ridge penalty on calendar effects: an effect seen on few days stays near 0.
constexpr double kRidge = 2.0;

absl::CivilDay DayOf(const SeriesContext& context, size_t index) {
  const int step = context.frequency == Frequency::kDaily ? 1 : 7;
  return context.start + static_cast<int64_t>(index) * step;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  if (values.size() % 2 == 1) return values[mid];
  const double upper = values[mid];
  return (upper + *std::max_element(values.begin(), values.begin() + mid)) / 2;
}

absl::StatusOr<PointForecast> SeasonalNaive(const std::vector<double>& y,
                                            const SeriesContext& context, int horizon) {
  const size_t m = static_cast<size_t>(SeasonalPeriod(context.frequency, y.size()));
  if (y.size() < m) return absl::InvalidArgumentError("series: shorter than one season");
  PointForecast out;
  for (int h = 1; h <= horizon; ++h) {
    const size_t back = m * ((static_cast<size_t>(h) - 1) / m + 1);
    out.mean.push_back(y[y.size() + static_cast<size_t>(h) - 1 - back]);
  }
  out.parameters = {{"period", static_cast<double>(m)}};
  return out;
}

absl::StatusOr<PointForecast> RecentMedian(const std::vector<double>& y,
                                           const SeriesContext& context, int horizon) {
  const size_t m = context.frequency == Frequency::kDaily ? 7 : 1;
  const size_t needed = m * kMedianWeeks;
  if (y.size() < needed) {
    return absl::InvalidArgumentError(absl::StrCat("series: fewer than ", needed, " periods"));
  }
  PointForecast out;
  for (int h = 1; h <= horizon; ++h) {
    std::vector<double> same;
    // The last kMedianWeeks values in the same position of the week as n + h - 1.
    const size_t target = y.size() + static_cast<size_t>(h) - 1;
    for (size_t k = 1; same.size() < static_cast<size_t>(kMedianWeeks); ++k) {
      const size_t back = m * k;
      if (back > target) break;
      if (target - back < y.size()) same.push_back(y[target - back]);
    }
    out.mean.push_back(Median(std::move(same)));
  }
  out.parameters = {{"weeks", kMedianWeeks}};
  return out;
}

EtsSpec SpecFor(const SeriesContext& context) {
  return EtsSpec{.damped_trend = true, .period = context.frequency == Frequency::kDaily ? 7 : 1};
}

absl::StatusOr<PointForecast> Ets(const std::vector<double>& y, const SeriesContext& context,
                                  int horizon, bool log_scale) {
  std::vector<double> z = y;
  if (log_scale) {
    for (double& v : z) v = std::log1p(std::max(v, 0.0));
  }
  ASSIGN_OR_RETURN(EtsFit fit, FitEts(z, SpecFor(context)));
  PointForecast out;
  out.mean = ForecastEts(fit, horizon);
  if (log_scale) {
    for (double& v : out.mean) v = std::expm1(v);
  }
  out.parameters = EtsParameters(fit);
  return out;
}

// The calendar features of period i: daily, one-hot holiday / make-up /
// bridge; weekly, log of the week's working days against an ordinary week.
constexpr int kDailyFeatures = 3;

std::vector<double> Features(const SeriesContext& context, size_t index, int ordinary_week) {
  const absl::CivilDay day = DayOf(context, index);
  if (context.frequency == Frequency::kWeekly) {
    const int working = context.calendar->WorkingDaysInWeek(day);
    return {std::log((working + 0.5) / (ordinary_week + 0.5))};
  }
  std::vector<double> x(kDailyFeatures, 0.0);
  switch (context.calendar->Of(day)) {
    case DayKind::kHoliday:
      x[0] = 1;
      break;
    case DayKind::kMakeUpWorkday:
      x[1] = 1;
      break;
    case DayKind::kNextToHoliday:
      x[2] = 1;
      break;
    case DayKind::kOrdinary:
      break;
  }
  return x;
}

bool Special(const std::vector<double>& x) {
  return std::any_of(x.begin(), x.end(), [](double v) { return v != 0; });
}

absl::StatusOr<PointForecast> Calendar(const std::vector<double>& y, const SeriesContext& context,
                                       int horizon) {
  if (context.calendar == nullptr) return absl::InvalidArgumentError("series: no calendar");
  const int ordinary_week = context.calendar->WorkingDaysInWeek(absl::CivilDay(2001, 1, 1));
  std::vector<std::vector<double>> features;
  std::vector<double> z(y.size());
  for (size_t i = 0; i < y.size(); ++i) {
    features.push_back(Features(context, i, ordinary_week));
    z[i] = Special(features.back()) ? NAN : std::log1p(std::max(y[i], 0.0));
  }
  ASSIGN_OR_RETURN(EtsFit fit, FitEts(z, SpecFor(context)));
  // Ridge regression of what the special days were against what the ordinary pattern expected.
  const int k = static_cast<int>(features.front().size());
  Eigen::MatrixXd gram = kRidge * Eigen::MatrixXd::Identity(k, k);
  Eigen::VectorXd moment = Eigen::VectorXd::Zero(k);
  for (size_t i = 0; i < y.size(); ++i) {
    if (!Special(features[i])) continue;
    const Eigen::Map<const Eigen::VectorXd> x(features[i].data(), k);
    gram += x * x.transpose();
    moment += x * (std::log1p(std::max(y[i], 0.0)) - fit.fitted[i]);
  }
  const Eigen::VectorXd effect = gram.ldlt().solve(moment);
  PointForecast out;
  out.mean = ForecastEts(fit, horizon);
  for (int h = 0; h < horizon; ++h) {
    const std::vector<double> x =
        Features(context, y.size() + static_cast<size_t>(h), ordinary_week);
    const double shift = Eigen::Map<const Eigen::VectorXd>(x.data(), k).dot(effect);
    out.mean[static_cast<size_t>(h)] = std::expm1(out.mean[static_cast<size_t>(h)] + shift);
  }
  out.parameters = EtsParameters(fit);
  if (context.frequency == Frequency::kDaily) {
    out.parameters.emplace_back("holiday_effect", effect[0]);
    out.parameters.emplace_back("make_up_day_effect", effect[1]);
    out.parameters.emplace_back("bridge_day_effect", effect[2]);
  } else {
    out.parameters.emplace_back("working_days_elasticity", effect[0]);
  }
  return out;
}

// A daily series' calendar features, its days' and the days ahead, and the
// ridge regression of the special days' effects on the log scale.
struct DailyCalendar {
  std::vector<std::vector<double>> features;
  std::vector<bool> special;
  Eigen::MatrixXd gram = kRidge * Eigen::MatrixXd::Identity(kDailyFeatures, kDailyFeatures);
  Eigen::VectorXd moment = Eigen::VectorXd::Zero(kDailyFeatures);
  Eigen::VectorXd effect = Eigen::VectorXd::Zero(kDailyFeatures);

  Eigen::Map<const Eigen::VectorXd> X(size_t i) const {
    return Eigen::Map<const Eigen::VectorXd>(features[i].data(), kDailyFeatures);
  }
  // Day i was `residual` above what an ordinary day would have been.
  void Observe(size_t i, double residual) {
    gram += X(i) * X(i).transpose();
    moment += X(i) * residual;
  }
  void Solve() { effect = gram.ldlt().solve(moment); }
  double Shift(size_t t) const { return X(t).dot(effect); }
  void AddParameters(std::vector<std::pair<std::string, double>>* out) const {
    out->emplace_back("holiday_effect", effect[0]);
    out->emplace_back("make_up_day_effect", effect[1]);
    out->emplace_back("bridge_day_effect", effect[2]);
  }
};

absl::StatusOr<DailyCalendar> DailyCalendarOf(const SeriesContext& context, size_t total,
                                              absl::string_view model) {
  if (context.calendar == nullptr) return absl::InvalidArgumentError("series: no calendar");
  if (context.frequency != Frequency::kDaily) {
    return absl::InvalidArgumentError(
        absl::StrCat("series: ", model, " projects daily series only"));
  }
  DailyCalendar out;
  for (size_t i = 0; i < total; ++i) {
    out.features.push_back(Features(context, i, 0));
    out.special.push_back(Special(out.features.back()));
  }
  return out;
}

// The median of the last kMedianWeeks ordinary (not special) values in the
// same weekday position as `target` and before `end`; none when fewer than
// half of them exist.
std::optional<double> OrdinaryMedian(const std::vector<double>& y, const std::vector<bool>& special,
                                     size_t target, size_t end) {
  std::vector<double> same;
  for (size_t back = 7; back <= target && same.size() < kMedianWeeks; back += 7) {
    const size_t i = target - back;
    if (i < end && !special[i]) same.push_back(y[i]);
  }
  if (same.size() < kMedianWeeks / 2) return std::nullopt;
  return Median(std::move(same));
}

absl::StatusOr<PointForecast> CalendarMedian(const std::vector<double>& y,
                                             const SeriesContext& context, int horizon) {
  const size_t n = y.size();
  const size_t total = n + static_cast<size_t>(horizon);
  ASSIGN_OR_RETURN(DailyCalendar calendar, DailyCalendarOf(context, total, "calendar_median"));
  for (size_t i = 0; i < n; ++i) {
    if (!calendar.special[i]) continue;
    const std::optional<double> expected = OrdinaryMedian(y, calendar.special, i, i);
    if (!expected.has_value()) continue;
    calendar.Observe(i, std::log1p(std::max(y[i], 0.0)) - std::log1p(std::max(*expected, 0.0)));
  }
  calendar.Solve();
  PointForecast out;
  for (size_t t = n; t < total; ++t) {
    const std::optional<double> base = OrdinaryMedian(y, calendar.special, t, n);
    if (!base.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("series: fewer than ", kMedianWeeks / 2, " ordinary weeks"));
    }
    out.mean.push_back(std::expm1(std::log1p(std::max(*base, 0.0)) + calendar.Shift(t)));
  }
  out.parameters = {{"weeks", kMedianWeeks}};
  calendar.AddParameters(&out.parameters);
  return out;
}

// Ordinary days in the level of calendar_profile: four weeks average out the
// day-to-day noise and still follow a change of level (28 scored best of 28,
// 42 and 63 in bench/projection_backtest).
constexpr size_t kProfileLevelDays = 28;

absl::StatusOr<PointForecast> CalendarProfile(const std::vector<double>& y,
                                              const SeriesContext& context, int horizon) {
  const size_t n = y.size();
  const size_t total = n + static_cast<size_t>(horizon);
  ASSIGN_OR_RETURN(DailyCalendar calendar, DailyCalendarOf(context, total, "calendar_profile"));
  const std::vector<bool>& special = calendar.special;
  std::vector<double> z(n);
  for (size_t i = 0; i < n; ++i) z[i] = std::log1p(std::max(y[i], 0.0));
  // Weekday effects: deviations from the mean of their week, over whole ordinary weeks.
  double effect_sum[7] = {0}, weeks = 0;
  for (size_t first = n % 7; first + 7 <= n; first += 7) {
    bool ordinary = true;
    double mean = 0;
    for (size_t i = first; i < first + 7; ++i) {
      ordinary = ordinary && !special[i];
      mean += z[i] / 7;
    }
    if (!ordinary) continue;
    for (size_t i = first; i < first + 7; ++i) effect_sum[i % 7] += z[i] - mean;
    ++weeks;
  }
  if (weeks < 4) return absl::InvalidArgumentError("series: fewer than 4 ordinary weeks");
  double weekday[7];
  for (int d = 0; d < 7; ++d) weekday[d] = effect_sum[d] / weeks;
  // The level: the mean deseasonalised value of the last ordinary days.
  double level = 0;
  size_t counted = 0;
  for (size_t i = n; i-- > 0 && counted < kProfileLevelDays;) {
    if (special[i]) continue;
    level += z[i] - weekday[i % 7];
    ++counted;
  }
  level /= static_cast<double>(counted);
  // Special days against the deseasonalised level of the ordinary days around them.
  for (size_t i = 0; i < n; ++i) {
    if (!special[i]) continue;
    double local = 0;
    int around = 0;
    for (size_t j = i >= 7 ? i - 7 : 0; j <= std::min(n - 1, i + 7); ++j) {
      if (special[j]) continue;
      local += z[j] - weekday[j % 7];
      ++around;
    }
    if (around >= 7) calendar.Observe(i, z[i] - local / around - weekday[i % 7]);
  }
  calendar.Solve();
  PointForecast out;
  for (size_t t = n; t < total; ++t) {
    out.mean.push_back(std::expm1(level + weekday[t % 7] + calendar.Shift(t)));
  }
  out.parameters = {{"level_days", static_cast<double>(kProfileLevelDays)}};
  calendar.AddParameters(&out.parameters);
  return out;
}

}  // namespace

absl::string_view ModelName(Model model) {
  switch (model) {
    case Model::kSeasonalNaive:
      return "seasonal_naive";
    case Model::kRecentMedian:
      return "recent_median";
    case Model::kEts:
      return "ets";
    case Model::kEtsLog:
      return "ets_log";
    case Model::kCalendar:
      return "calendar";
    case Model::kCalendarMedian:
      return "calendar_median";
    case Model::kCalendarProfile:
      return "calendar_profile";
  }
  return "unknown";
}

int SeasonalPeriod(Frequency frequency, size_t history_length) {
  if (frequency == Frequency::kDaily) return 7;
  return history_length >= 104 ? 52 : 1;
}

absl::StatusOr<PointForecast> Predict(Model model, const std::vector<double>& history,
                                      const SeriesContext& context, int horizon) {
  if (horizon < 1) return absl::InvalidArgumentError("horizon: must be at least 1");
  absl::StatusOr<PointForecast> out;
  switch (model) {
    case Model::kSeasonalNaive:
      out = SeasonalNaive(history, context, horizon);
      break;
    case Model::kRecentMedian:
      out = RecentMedian(history, context, horizon);
      break;
    case Model::kEts:
      out = Ets(history, context, horizon, false);
      break;
    case Model::kEtsLog:
      out = Ets(history, context, horizon, true);
      break;
    case Model::kCalendar:
      out = Calendar(history, context, horizon);
      break;
    case Model::kCalendarMedian:
      out = CalendarMedian(history, context, horizon);
      break;
    case Model::kCalendarProfile:
      out = CalendarProfile(history, context, horizon);
      break;
  }
  if (out.ok()) {
    for (double& v : out->mean) v = std::isfinite(v) ? std::max(v, 0.0) : 0.0;
  }
  return out;
}

}  // namespace complaints::analytics
