#pragma once
// §5.1 trend projections: a series' forecast with prediction intervals, the
// median of the candidate models that forecast its own past best.
//
// Rolling-origin backtest: the history is cut at `origins` points (8 wherever
// the history allows), the last one horizon before its end and the others
// spaced evenly back from it, at most one horizon apart. At each cut every
// candidate is fitted on what came before and forecasts the horizon after. A
// candidate's score is its mean MASE over the cuts (absolute error over the
// mean absolute one-season difference of the data before the cut).
//
// The served forecast combines rather than trusting one winner on a few cuts
// (as the M4 competition found): it is the median, step by step, of the best
// candidates (up to three, each within 10 % of the best score) that scored no
// worse than seasonal naive. Seasonal naive itself is the one served when
// nothing beats it, so a model that lost to it is never served.
//
// Intervals are empirical: the combination's backtest errors on the log scale
// (log(1 + actual) - log(1 + forecast), so intervals widen with the level and
// stay above zero) give the quantiles of each step ahead, pooled over nearby
// steps. They are scaled about their median, in twentieths from 0.5 to 3,
// until each cut's points fall inside the quantiles of the other cuts a
// little more often than the nominal level says (held-out calibration; 84 %
// for the 80 % interval, since neighbouring cuts agree more than the future
// will): narrower when the backtest errors overstate the spread, wider when
// they understate it.
//
// A history too short for the horizon gets a shorter horizon, and one too
// short for 8 cuts fewer cuts; `notes` says which and why. Pure and
// deterministic.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/analytics/domain/forecast_models.h"

namespace complaints::analytics {

struct ModelScore {
  std::string model;       // a candidate's name, or "combination"
  double mase = 0;         // mean over the backtest's cuts
  double coverage_80 = 0;  // share of held-out points inside the 80 % interval, unscaled
  double coverage_95 = 0;
};

struct Projection {
  std::vector<Model> combined;  // the candidates whose median is served, best first
  // Name/value pairs of each combined candidate, as "<model>.<parameter>".
  std::vector<std::pair<std::string, double>> parameters;
  std::vector<double> mean, lower_80, upper_80, lower_95, upper_95;
  ModelScore served;               // the combination's own backtest
  std::vector<ModelScore> scores;  // every candidate that could be backtested, best first
  // How much the error quantiles were scaled so that held-out cuts reach the
  // nominal coverage, and the held-out coverage that gave.
  double widening_80 = 1, widening_95 = 1;
  double coverage_80 = 0, coverage_95 = 0;
  int horizon = 0;                 // periods forecast: the spec's, or fewer for a short history
  int origins = 0;                 // cuts the backtest used
  int spacing = 0;                 // periods between neighbouring cuts
  double scale = 0;                // the MASE scale of the history
  std::vector<std::string> notes;  // why the horizon is shorter or the cuts fewer
};

struct ProjectionSpec {
  int horizon = 28;
  int origins = 8;
  // Only the most recent periods are fitted: old patterns mislead more than they teach.
  size_t max_history = 3 * 365;
  int combined = 3;  // at most this many candidates are combined
};

// The MASE denominator: the mean absolute one-season difference (1 when 0).
double MaseScale(const std::vector<double>& y, int period);

// INVALID_ARGUMENT for a spec out of range; FAILED_PRECONDITION, saying how
// much history is needed, when the history cannot support two backtest cuts
// of the shortest horizon (a week, or four weeks), or when it holds no
// complaint at all.
absl::StatusOr<Projection> Project(const std::vector<double>& history, const SeriesContext& context,
                                   const ProjectionSpec& spec);

}  // namespace complaints::analytics
