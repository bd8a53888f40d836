#include "services/analytics/domain/projection.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace complaints::analytics {
namespace {

// The least history a cut leaves for fitting: eight weeks of days, half a year of weeks.
size_t MinimumTraining(Frequency frequency) { return frequency == Frequency::kDaily ? 56 : 26; }

struct Window {
  std::vector<double> values;
  SeriesContext context;
};

// history[end - max_history, end) with the context moved to its first period.
Window Before(const std::vector<double>& history, const SeriesContext& context, size_t end,
              size_t max_history) {
  const size_t begin = end > max_history ? end - max_history : 0;
  Window w{std::vector<double>(history.begin() + static_cast<std::ptrdiff_t>(begin),
                               history.begin() + static_cast<std::ptrdiff_t>(end)),
           context};
  w.context.start = context.start +
                    static_cast<int64_t>(begin) * (context.frequency == Frequency::kDaily ? 1 : 7);
  return w;
}

// Linear interpolation between order statistics (type 7, as R and numpy default).
double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const size_t low = static_cast<size_t>(std::floor(position));
  const size_t high = std::min(low + 1, values.size() - 1);
  return values[low] + (position - static_cast<double>(low)) * (values[high] - values[low]);
}

// Errors on the log scale: counts vary multiplicatively, and an interval
// built from them widens with the level and stays above zero.
double LogError(double actual, double forecast) {
  return std::log1p(std::max(actual, 0.0)) - std::log1p(std::max(forecast, 0.0));
}

// A model's backtest: log errors per cut and step, and MASE per cut.
struct Backtest {
  std::vector<std::vector<double>> errors;  // [cut][step], LogError(actual, forecast)
  std::vector<double> mase;
};

std::vector<double> Pooled(const Backtest& backtest, size_t step, size_t skip_cut) {
  const size_t steps = backtest.errors.front().size();
  const size_t half = std::max<size_t>(2, steps / 8);
  const size_t from = step > half ? step - half : 0;
  const size_t to = std::min(steps - 1, step + half);
  std::vector<double> pooled;
  for (size_t cut = 0; cut < backtest.errors.size(); ++cut) {
    if (cut == skip_cut) continue;
    for (size_t s = from; s <= to; ++s) pooled.push_back(backtest.errors[cut][s]);
  }
  return pooled;
}

// Held-out interval checks: each cut's errors against the error quantiles of
// the other cuts, widened about their median by a factor.
struct HeldOut {
  struct Point {
    double error, median, lower, upper;
  };
  std::vector<Point> points;

  HeldOut(const Backtest& backtest, double lower_q, double upper_q) {
    for (size_t cut = 0; cut < backtest.errors.size(); ++cut) {
      for (size_t step = 0; step < backtest.errors[cut].size(); ++step) {
        const std::vector<double> others = Pooled(backtest, step, cut);
        points.push_back({backtest.errors[cut][step], Quantile(others, 0.5),
                          Quantile(others, lower_q), Quantile(others, upper_q)});
      }
    }
  }

  double Coverage(double widening) const {
    int inside = 0;
    for (const Point& p : points) {
      inside += p.error >= p.median + widening * (p.lower - p.median) &&
                p.error <= p.median + widening * (p.upper - p.median);
    }
    return points.empty() ? 0 : static_cast<double>(inside) / static_cast<double>(points.size());
  }

  // The least widening (1 to 3 in tenths) whose held-out coverage reaches `nominal`.
  double Calibrate(double nominal) const {
    for (int tenths = 10; tenths < 30; ++tenths) {
      if (Coverage(tenths / 10.0) >= nominal) return tenths / 10.0;
    }
    return 3.0;
  }
};

struct Level {
  double lower_q, upper_q, nominal;
};
constexpr Level k80{0.1, 0.9, 0.8};
constexpr Level k95{0.025, 0.975, 0.95};

}  // namespace

double MaseScale(const std::vector<double>& y, int period) {
  const size_t m = static_cast<size_t>(std::max(period, 1));
  double sum = 0;
  size_t count = 0;
  for (size_t t = m; t < y.size(); ++t) {
    sum += std::abs(y[t] - y[t - m]);
    ++count;
  }
  const double scale = count > 0 ? sum / static_cast<double>(count) : 0;
  return scale > 0 ? scale : 1;
}

absl::StatusOr<Projection> Project(const std::vector<double>& history, const SeriesContext& context,
                                   const ProjectionSpec& spec) {
  if (spec.horizon < 1) return absl::InvalidArgumentError("horizon: must be at least 1");
  const size_t horizon = static_cast<size_t>(spec.horizon);
  const size_t minimum = MinimumTraining(context.frequency);
  std::vector<size_t> cuts;
  for (int k = 1; k <= spec.origins; ++k) {
    const size_t back = horizon * static_cast<size_t>(k);
    if (history.size() < back + minimum) break;
    cuts.push_back(history.size() - back);
  }
  if (cuts.size() < 2) {
    return absl::FailedPreconditionError(
        absl::StrCat("series: ", history.size(), " periods of history; at least ",
                     minimum + 2 * horizon, " are needed for a horizon of ", horizon));
  }
  Projection best;
  Backtest best_backtest;
  double best_mase = HUGE_VAL;
  for (Model model : kAllModels) {
    if (model == Model::kCalendar && context.calendar == nullptr) continue;
    Backtest backtest;
    bool complete = true;
    for (size_t cut : cuts) {
      const Window train = Before(history, context, cut, spec.max_history);
      absl::StatusOr<PointForecast> forecast =
          Predict(model, train.values, train.context, spec.horizon);
      if (!forecast.ok()) {
        complete = false;
        break;
      }
      const double scale =
          MaseScale(train.values, SeasonalPeriod(context.frequency, train.values.size()));
      std::vector<double> errors;
      double absolute = 0;
      for (size_t step = 0; step < horizon; ++step) {
        const double actual = history[cut + step];
        errors.push_back(LogError(actual, forecast->mean[step]));
        absolute += std::abs(actual - forecast->mean[step]);
      }
      backtest.errors.push_back(std::move(errors));
      backtest.mase.push_back(absolute / static_cast<double>(horizon) / scale);
    }
    if (!complete) continue;
    ModelScore score{.model = model};
    for (double m : backtest.mase) score.mase += m / static_cast<double>(backtest.mase.size());
    score.coverage_80 = HeldOut(backtest, k80.lower_q, k80.upper_q).Coverage(1.0);
    score.coverage_95 = HeldOut(backtest, k95.lower_q, k95.upper_q).Coverage(1.0);
    best.scores.push_back(score);
    if (score.mase < best_mase) {
      best_mase = score.mase;
      best.model = model;
      best_backtest = std::move(backtest);
    }
  }
  if (best.scores.empty()) {
    return absl::FailedPreconditionError("series: no model could be fitted to its history");
  }
  std::stable_sort(best.scores.begin(), best.scores.end(),
                   [&](const ModelScore& a, const ModelScore& b) {
                     return (a.model == best.model) > (b.model == best.model);
                   });
  const Window train = Before(history, context, history.size(), spec.max_history);
  absl::StatusOr<PointForecast> forecast =
      Predict(best.model, train.values, train.context, spec.horizon);
  if (!forecast.ok()) return forecast.status();
  best.parameters = std::move(forecast->parameters);
  best.mean = std::move(forecast->mean);
  best.origins = static_cast<int>(cuts.size());
  best.scale = MaseScale(train.values, SeasonalPeriod(context.frequency, train.values.size()));
  for (const auto& [level, lower, upper, widening, coverage] :
       {std::tuple(k80, &best.lower_80, &best.upper_80, &best.widening_80, &best.coverage_80),
        std::tuple(k95, &best.lower_95, &best.upper_95, &best.widening_95, &best.coverage_95)}) {
    const HeldOut held_out(best_backtest, level.lower_q, level.upper_q);
    *widening = held_out.Calibrate(level.nominal);
    *coverage = held_out.Coverage(*widening);
    for (size_t step = 0; step < horizon; ++step) {
      const std::vector<double> pooled = Pooled(best_backtest, step, SIZE_MAX);
      const double median = Quantile(pooled, 0.5);
      const double centre = std::log1p(best.mean[step]);
      auto bound = [&](double q) {
        return std::max(0.0,
                        std::expm1(centre + median + *widening * (Quantile(pooled, q) - median)));
      };
      lower->push_back(std::min(bound(level.lower_q), best.mean[step]));
      upper->push_back(std::max(bound(level.upper_q), best.mean[step]));
    }
  }
  return best;
}

}  // namespace complaints::analytics
