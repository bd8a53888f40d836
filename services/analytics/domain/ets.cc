#include "services/analytics/domain/ets.h"

#include <nlopt.h>

#include <cmath>
#include <memory>

#include "absl/strings/str_cat.h"

namespace complaints::analytics {
namespace {

struct Parameters {
  double alpha = 0, beta = 0, gamma = 0, phi = 1;
};

struct InitialStates {
  double level = 0, slope = 0;
  std::vector<double> season;  // by position t mod period
};

double MeanOf(const std::vector<double>& y, size_t begin, size_t end, bool* any) {
  double sum = 0;
  int count = 0;
  for (size_t t = begin; t < end && t < y.size(); ++t) {
    if (std::isnan(y[t])) continue;
    sum += y[t];
    ++count;
  }
  *any = count > 0;
  return count > 0 ? sum / count : 0;
}

// Classical decomposition of the first (up to four) periods.
InitialStates Initialise(const std::vector<double>& y, const EtsSpec& spec) {
  const size_t m = static_cast<size_t>(std::max(spec.period, 1));
  const size_t block = std::max<size_t>(m, 4);
  InitialStates states;
  states.season.assign(m, 0);
  std::vector<double> means;
  for (size_t k = 0; k < 4 && (k + 1) * block <= y.size(); ++k) {
    bool any = false;
    const double mean = MeanOf(y, k * block, (k + 1) * block, &any);
    if (any) means.push_back(mean);
  }
  if (means.empty()) return states;
  states.level = means.front();
  if (spec.damped_trend && means.size() >= 2) {
    states.slope = (means.back() - means.front()) / static_cast<double>((means.size() - 1) * block);
  }
  if (m > 1) {
    std::vector<double> sum(m, 0);
    std::vector<int> count(m, 0);
    for (size_t k = 0; k < means.size(); ++k) {
      for (size_t i = 0; i < m; ++i) {
        const size_t t = k * block + i;
        if (t >= y.size() || std::isnan(y[t])) continue;
        sum[i] += y[t] - means[k];
        ++count[i];
      }
    }
    double total = 0;
    for (size_t i = 0; i < m; ++i) {
      states.season[i] = count[i] > 0 ? sum[i] / count[i] : 0;
      total += states.season[i];
    }
    for (double& s : states.season) s -= total / static_cast<double>(m);
  }
  return states;
}

struct Filtered {
  double sse = 0;
  int observed = 0;
  double level = 0, slope = 0;
  std::vector<double> season;  // by position t mod period
  std::vector<double> fitted;
};

Filtered Filter(const std::vector<double>& y, const EtsSpec& spec, const InitialStates& initial,
                const Parameters& p, bool keep_fitted) {
  const size_t m = static_cast<size_t>(std::max(spec.period, 1));
  Filtered out;
  out.level = initial.level;
  out.slope = initial.slope;
  out.season = initial.season;
  if (keep_fitted) out.fitted.reserve(y.size());
  for (size_t t = 0; t < y.size(); ++t) {
    double& season = out.season[t % m];
    const double trend = p.phi * out.slope;
    const double forecast = out.level + trend + (m > 1 ? season : 0.0);
    if (keep_fitted) out.fitted.push_back(forecast);
    if (std::isnan(y[t])) {
      out.level += trend;
      out.slope = trend;
      continue;
    }
    const double error = y[t] - forecast;
    out.level += trend + p.alpha * error;
    out.slope = trend + p.beta * error;
    if (m > 1) season += p.gamma * error;
    out.sse += error * error;
    ++out.observed;
  }
  return out;
}

struct Problem {
  const std::vector<double>* y;
  const EtsSpec* spec;
  const InitialStates* initial;
};

// x = {alpha, beta / alpha, gamma / (1 - alpha), phi}, the unused ones fixed by bounds.
Parameters Decode(const double* x, const EtsSpec& spec) {
  Parameters p;
  p.alpha = x[0];
  p.beta = spec.damped_trend ? x[0] * x[1] : 0;
  p.gamma = spec.period > 1 ? (1 - x[0]) * x[2] : 0;
  p.phi = spec.damped_trend ? x[3] : 0;
  return p;
}

// Minus the log-likelihood with sigma concentrated out (constants dropped).
double NegativeLogLikelihood(unsigned, const double* x, double*, void* data) {
  const Problem& problem = *static_cast<const Problem*>(data);
  const Filtered f =
      Filter(*problem.y, *problem.spec, *problem.initial, Decode(x, *problem.spec), false);
  if (f.observed == 0) return HUGE_VAL;
  const double variance = std::max(f.sse / f.observed, 1e-12);
  return 0.5 * f.observed * std::log(variance);
}

struct OptDeleter {
  void operator()(nlopt_opt opt) const { nlopt_destroy(opt); }
};

}  // namespace

absl::StatusOr<EtsFit> FitEts(const std::vector<double>& y, const EtsSpec& spec) {
  if (spec.period < 1) return absl::InvalidArgumentError("period: must be at least 1");
  int observed = 0;
  for (double v : y) observed += std::isnan(v) ? 0 : 1;
  const int needed = std::max(8, 2 * spec.period);
  if (observed < needed) {
    return absl::InvalidArgumentError(
        absl::StrCat("series: ", observed, " observations, at least ", needed, " needed"));
  }
  const InitialStates initial = Initialise(y, spec);
  Problem problem{&y, &spec, &initial};
  constexpr unsigned kDim = 4;
  const double lower[kDim] = {1e-4, 1e-4, 1e-4, spec.damped_trend ? 0.8 : 0.0};
  const double upper[kDim] = {0.9999, 0.9999, 0.9999, spec.damped_trend ? 0.98 : 1e-9};
  double best_x[kDim] = {};
  double best = HUGE_VAL;
  // Two starts, a slow and a fast level, guard against a local optimum.
  for (double alpha_start : {0.1, 0.5}) {
    std::unique_ptr<nlopt_opt_s, OptDeleter> opt(nlopt_create(NLOPT_LN_BOBYQA, kDim));
    nlopt_set_lower_bounds(opt.get(), lower);
    nlopt_set_upper_bounds(opt.get(), upper);
    nlopt_set_min_objective(opt.get(), NegativeLogLikelihood, &problem);
    nlopt_set_xtol_rel(opt.get(), 1e-4);
    nlopt_set_maxeval(opt.get(), 500);
    double x[kDim] = {alpha_start, 0.1, 0.1, spec.damped_trend ? 0.95 : 0.0};
    double value = HUGE_VAL;
    const nlopt_result result = nlopt_optimize(opt.get(), x, &value);
    // ROUNDOFF_LIMITED still leaves the best point found; other failures do not count.
    if ((result > 0 || result == NLOPT_ROUNDOFF_LIMITED) && std::isfinite(value) && value < best) {
      best = value;
      std::copy(x, x + kDim, best_x);
    }
  }
  if (!std::isfinite(best))
    return absl::InternalError("ets: the likelihood could not be maximised");
  const Parameters p = Decode(best_x, spec);
  Filtered f = Filter(y, spec, initial, p, true);
  EtsFit fit;
  fit.spec = spec;
  fit.alpha = p.alpha;
  fit.beta = p.beta;
  fit.gamma = p.gamma;
  fit.phi = spec.damped_trend ? p.phi : 1;
  fit.level = f.level;
  fit.slope = f.slope;
  const size_t m = static_cast<size_t>(spec.period);
  fit.season.resize(m);
  for (size_t k = 0; k < m; ++k) fit.season[k] = m > 1 ? f.season[(y.size() + k) % m] : 0;
  fit.sigma = std::sqrt(f.sse / f.observed);
  fit.log_likelihood = -best;
  fit.fitted = std::move(f.fitted);
  return fit;
}

std::vector<double> ForecastEts(const EtsFit& fit, int horizon) {
  std::vector<double> out;
  out.reserve(static_cast<size_t>(std::max(horizon, 0)));
  double damped = 0;
  double power = 1;
  for (int h = 1; h <= horizon; ++h) {
    if (fit.spec.damped_trend) {
      power *= fit.phi;
      damped += power;
    }
    const double season = fit.season.size() > 1 ? fit.season[(h - 1) % fit.season.size()] : 0;
    out.push_back(fit.level + damped * fit.slope + season);
  }
  return out;
}

std::vector<std::pair<std::string, double>> EtsParameters(const EtsFit& fit) {
  std::vector<std::pair<std::string, double>> out = {{"alpha", fit.alpha}};
  if (fit.spec.damped_trend) {
    out.emplace_back("beta", fit.beta);
    out.emplace_back("phi", fit.phi);
  }
  if (fit.spec.period > 1) out.emplace_back("gamma", fit.gamma);
  return out;
}

}  // namespace complaints::analytics
