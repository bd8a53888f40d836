#pragma once
// §5.1 trend projections: the candidate models a series' projection is chosen
// from. Each takes a series' history and gives point forecasts (the median of
// the forecast distribution where the model works on a log scale, which suits
// MASE's absolute errors); prediction intervals come from the backtest
// (projection.h), the same way for every model. Pure.
//
// - seasonal_naive: the value one season back (7 days; 52 weeks once two
//   years are known, else the last week).
// - recent_median: the median of the same weekday over the last 8 weeks
//   (weekly series: of the last 8 weeks) — the baseline analysts try first.
// - ets: ETS(A,Ad,A) with a weekly season on the counts (weekly series:
//   ETS(A,Ad,N)), fitted by maximum likelihood.
// - ets_log: the same on log(1 + count), for multiplicative patterns.
// - calendar: ets_log with holidays, make-up working days and bridge days kept
//   out of the states, their effects estimated by ridge regression on what
//   the model expected on those days, and applied to the days ahead (weekly
//   series: the effect of the week's number of working days).
// - calendar_median: recent_median of the ordinary days only (holidays,
//   make-up and bridge days left out), with the calendar's effects estimated
//   on the history's special days against that median before each of them
//   (ridge regression on the log scale) and applied to the days ahead. Daily
//   series only.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/analytics/domain/day_kinds.h"

namespace complaints::analytics {

enum class Frequency { kDaily, kWeekly };

// values[i] belongs to start + i days (daily) or start + 7·i days (weekly,
// start is the first day of the first week).
struct SeriesContext {
  Frequency frequency = Frequency::kDaily;
  absl::CivilDay start;
  const DayKinds* calendar = nullptr;  // none: the calendar model is not offered
};

enum class Model {
  kSeasonalNaive,
  kRecentMedian,
  kEts,
  kEtsLog,
  kCalendar,
  kCalendarMedian,
  kCalendarProfile
};
inline constexpr Model kAllModels[] = {
    Model::kSeasonalNaive,  Model::kRecentMedian,   Model::kEts, Model::kEtsLog, Model::kCalendar,
    Model::kCalendarMedian, Model::kCalendarProfile};

absl::string_view ModelName(Model model);

struct PointForecast {
  std::vector<double> mean;  // never negative
  std::vector<std::pair<std::string, double>> parameters;
};

// The season MASE and seasonal naive use: 7 for daily series; 52 for weekly
// series with at least two years of history, else 1.
int SeasonalPeriod(Frequency frequency, size_t history_length);

// INVALID_ARGUMENT when the history is too short for the model.
absl::StatusOr<PointForecast> Predict(Model model, const std::vector<double>& history,
                                      const SeriesContext& context, int horizon);

}  // namespace complaints::analytics
