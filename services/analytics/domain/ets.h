#pragma once
// §5.1 trend projections: exponential smoothing in state-space form (Hyndman
// et al., "Forecasting with Exponential Smoothing", 2008) with additive
// errors, an optional damped additive trend and an optional additive season.
// The smoothing parameters and the damping are fitted by maximum likelihood
// (NLopt's bounded BOBYQA); the initial states come from the first seasons
// (classical decomposition). A NaN observation is missing: the states carry
// on without an update and it adds nothing to the likelihood — the calendar
// model uses that to keep holidays out of the ordinary weekly pattern. Pure.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace complaints::analytics {

struct EtsSpec {
  bool damped_trend = true;
  int period = 1;  // 1: no season
};

struct EtsFit {
  EtsSpec spec;
  double alpha = 0;  // level
  double beta = 0;   // trend
  double gamma = 0;  // season
  double phi = 1;    // damping
  double level = 0;  // states after the last observation
  double slope = 0;
  std::vector<double> season;  // season[k]: the component of the k-th next period
  double sigma = 0;            // residual standard deviation
  double log_likelihood = 0;
  // One-step-ahead forecasts of every observation (missing ones included).
  std::vector<double> fitted;
};

// INVALID_ARGUMENT when fewer than two full periods (or 8 points) are observed.
absl::StatusOr<EtsFit> FitEts(const std::vector<double>& y, const EtsSpec& spec);

// The point forecasts of the next `horizon` periods.
std::vector<double> ForecastEts(const EtsFit& fit, int horizon);

// Name/value pairs for an answer: alpha, beta, gamma, phi.
std::vector<std::pair<std::string, double>> EtsParameters(const EtsFit& fit);

}  // namespace complaints::analytics
