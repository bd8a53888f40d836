#pragma once
// §5.1 trend projections: a series' forecast with prediction intervals, from
// the candidate model that forecast its own recent past best.
//
// Rolling-origin backtest: the history is cut at `origins` points one horizon
// apart, counting back from its end; at each cut every model is fitted on
// what came before and forecasts the horizon after. A model's score is its
// mean MASE over the cuts (absolute error over the mean absolute one-season
// difference of the data before the cut), and the lowest score wins.
// Intervals are empirical: the winner's backtest errors on the log scale
// (log(1 + actual) - log(1 + forecast), so intervals widen with the level and
// stay above zero) give the quantiles of each step ahead, pooled over nearby
// steps. Those quantiles are widened about their median, in tenths, until
// each cut's points fall inside the quantiles of the other cuts as often as
// the nominal level says (held-out calibration). Each candidate's score also
// carries its unwidened held-out coverage, so an analyst knows how far to
// trust it.
// Pure and deterministic.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/analytics/domain/forecast_models.h"

namespace complaints::analytics {

struct ModelScore {
  Model model = Model::kSeasonalNaive;
  double mase = 0;         // mean over the backtest's cuts
  double coverage_80 = 0;  // share of held-out points inside the 80 % interval
  double coverage_95 = 0;
};

struct Projection {
  Model model = Model::kSeasonalNaive;
  std::vector<std::pair<std::string, double>> parameters;
  std::vector<double> mean, lower_80, upper_80, lower_95, upper_95;
  std::vector<ModelScore> scores;  // every candidate that could be backtested, chosen first
  // How much the chosen model's backtest error quantiles were widened (about
  // their median) so that held-out cuts reach the nominal coverage, and the
  // held-out coverage that gave.
  double widening_80 = 1, widening_95 = 1;
  double coverage_80 = 0, coverage_95 = 0;
  int origins = 0;   // cuts the backtest used
  double scale = 0;  // the MASE scale of the history
};

struct ProjectionSpec {
  int horizon = 28;
  int origins = 8;
  // Only the most recent periods are fitted: old patterns mislead more than they teach.
  size_t max_history = 3 * 365;
};

// The MASE denominator: the mean absolute one-season difference (1 when 0).
double MaseScale(const std::vector<double>& y, int period);

// FAILED_PRECONDITION when the history cannot support two backtest cuts.
absl::StatusOr<Projection> Project(const std::vector<double>& history, const SeriesContext& context,
                                   const ProjectionSpec& spec);

}  // namespace complaints::analytics
