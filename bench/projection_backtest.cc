// §5.1 trend projections, measured: a rolling-origin backtest of the
// projection (model chosen per series by its own inner backtest) against
// each candidate model and the baselines an analyst tries first, on public
// complaint series (bench/data/README.md). Horizon 28 days for daily and 13
// weeks for weekly series; 8 outer cuts one horizon apart from the end. At
// each cut everything is fitted on the data before it only. Prints MASE per
// series and model (scale: mean absolute one-season difference of the data
// before the cut), the projection's interval coverage and the targets.
//
//   build/bench/projection_backtest bench/data [statsmodels_forecasts.csv]
// scripts/projection_backtest.sh runs it with statsmodels' ETS alongside.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "bench/projection_cases.h"
#include "complaints/v1/config.pb.h"
#include "google/protobuf/text_format.h"
#include "services/analytics/domain/projection.h"

namespace complaints::analytics {
namespace {

using bench::Case;
using bench::LoadSeries;
using bench::Series;
using bench::SyntheticSeries;
using bench::Windows;

constexpr int kCuts = 8;

// statsmodels' forecasts: series,cut,step,forecast (cut 1 is the latest).
using External = std::map<std::string, std::map<int, std::vector<double>>>;
External LoadExternal(const char* path) {
  External out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cells = absl::StrSplit(line, ',');
    int cut = 0, step = 0;
    double value = 0;
    if (cells.size() != 4 || !absl::SimpleAtoi(cells[1], &cut) ||
        !absl::SimpleAtoi(cells[2], &step) || !absl::SimpleAtod(cells[3], &value)) {
      continue;
    }
    std::vector<double>& steps = out[cells[0]][cut];
    if (static_cast<int>(steps.size()) < step) steps.resize(static_cast<size_t>(step), NAN);
    steps[static_cast<size_t>(step - 1)] = std::max(0.0, value);
  }
  return out;
}

double Mase(const std::vector<double>& actual, size_t cut, const std::vector<double>& forecast,
            double scale) {
  double sum = 0;
  for (size_t s = 0; s < forecast.size(); ++s) sum += std::abs(actual[cut + s] - forecast[s]);
  return sum / static_cast<double>(forecast.size()) / scale;
}

// "calendar+ets_log+recent_median": the candidates a projection combined.
std::string Members(const Projection& p) {
  std::string out;
  for (Model m : p.combined) absl::StrAppend(&out, out.empty() ? "" : "+", ModelName(m));
  return out;
}

// The long series table: horizon 28 days or 13 weeks, kCuts cuts from the end.
bool LongSeries(const std::string& dir, const External& external, const DayKinds& calendar) {
  std::vector<std::pair<Series, std::string>> all = {
      {{"nyc311-flooding-daily", Frequency::kDaily, {}, {}}, "nyc311-street-flooding-daily.csv"},
      {{"cfpb-total-daily", Frequency::kDaily, {}, {}}, "cfpb-daily-total.csv"},
      {{"nyc311-flooding-weekly", Frequency::kWeekly, {}, {}}, "nyc311-street-flooding-weekly.csv"},
      {{"cfpb-total-weekly", Frequency::kWeekly, {}, {}}, "cfpb-weekly-total.csv"},
      {{"cfpb-citibank-weekly", Frequency::kWeekly, {}, {}}, "cfpb-weekly-citibank.csv"},
      {{"cfpb-debt-collection-weekly", Frequency::kWeekly, {}, {}},
       "cfpb-weekly-debt-collection.csv"},
  };
  const std::vector<Model> models = {Model::kSeasonalNaive, Model::kRecentMedian, Model::kEts,
                                     Model::kEtsLog, Model::kCalendar};
  std::printf("%-28s %5s %3s %8s %8s %8s %8s %8s %8s %8s %6s %6s  chosen\n", "series", "n", "h",
              "snaive", "median", "sm_ets", "ets", "ets_log", "calendar", "PROJ", "cov80", "cov95");
  std::map<std::string, double> total;
  int counted = 0;
  int inside_80 = 0, inside_95 = 0, points = 0;
  for (auto& [series, file] : all) {
    if (!LoadSeries(dir + "/" + file, &series)) return false;
    const int horizon = series.frequency == Frequency::kDaily ? 28 : 13;
    const size_t h = static_cast<size_t>(horizon);
    const ProjectionSpec spec{
        .horizon = horizon, .max_history = series.frequency == Frequency::kDaily ? 3 * 365u : 520u};
    std::map<std::string, double> mase;
    std::map<std::string, int> chosen;
    int series_inside_80 = 0, series_inside_95 = 0, series_points = 0;
    for (int k = 1; k <= kCuts; ++k) {
      const size_t cut = series.values.size() - h * static_cast<size_t>(k);
      const std::vector<double> train(series.values.begin(),
                                      series.values.begin() + static_cast<std::ptrdiff_t>(cut));
      const SeriesContext context{series.frequency, series.start, &calendar};
      const double scale = MaseScale(train, SeasonalPeriod(series.frequency, train.size()));
      for (Model model : models) {
        absl::StatusOr<PointForecast> f = Predict(model, train, context, horizon);
        if (!f.ok()) {
          std::fprintf(stderr, "%s %s: %s\n", series.name.c_str(),
                       std::string(ModelName(model)).c_str(), f.status().ToString().c_str());
          return false;
        }
        mase[std::string(ModelName(model))] += Mase(series.values, cut, f->mean, scale) / kCuts;
      }
      absl::StatusOr<Projection> p = Project(train, context, spec);
      if (!p.ok()) {
        std::fprintf(stderr, "%s: %s\n", series.name.c_str(), p.status().ToString().c_str());
        return false;
      }
      mase["projection"] += Mase(series.values, cut, p->mean, scale) / kCuts;
      ++chosen[Members(*p)];
      for (size_t s = 0; s < h; ++s) {
        const double y = series.values[cut + s];
        series_inside_80 += y >= p->lower_80[s] && y <= p->upper_80[s];
        series_inside_95 += y >= p->lower_95[s] && y <= p->upper_95[s];
        ++series_points;
      }
      auto ext = external.find(series.name);
      if (ext != external.end() && ext->second.count(k) > 0) {
        mase["statsmodels_ets"] += Mase(series.values, cut, ext->second.at(k), scale) / kCuts;
      } else {
        mase["statsmodels_ets"] = NAN;
      }
    }
    std::string picks;
    for (const auto& [name, times] : chosen) picks += name + "×" + std::to_string(times) + " ";
    std::printf("%-28s %5zu %3d %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %6.3f %6.3f  %s\n",
                series.name.c_str(), series.values.size(), horizon, mase["seasonal_naive"],
                mase["recent_median"], mase["statsmodels_ets"], mase["ets"], mase["ets_log"],
                mase["calendar"], mase["projection"],
                static_cast<double>(series_inside_80) / series_points,
                static_cast<double>(series_inside_95) / series_points, picks.c_str());
    for (const auto& [name, value] : mase) total[name] += value;
    ++counted;
    inside_80 += series_inside_80;
    inside_95 += series_inside_95;
    points += series_points;
  }
  for (auto& [name, value] : total) value /= counted;
  std::printf("%-28s %5s %3s %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %6.3f %6.3f\n", "MEAN", "",
              "", total["seasonal_naive"], total["recent_median"], total["statsmodels_ets"],
              total["ets"], total["ets_log"], total["calendar"], total["projection"],
              static_cast<double>(inside_80) / points, static_cast<double>(inside_95) / points);
  const double reduction = 1 - total["projection"] / total["seasonal_naive"];
  const double coverage = static_cast<double>(inside_80) / points;
  std::printf("\nprojection vs seasonal naive: %.1f %% lower MASE (target >= 20 %%) %s\n",
              100 * reduction, reduction >= 0.2 ? "MET" : "MISSED");
  std::printf("projection vs weekday median: %.3f vs %.3f %s\n", total["projection"],
              total["recent_median"],
              total["projection"] < total["recent_median"] ? "MET" : "MISSED");
  std::printf("projection vs statsmodels ETS: %.3f vs %.3f %s\n", total["projection"],
              total["statsmodels_ets"],
              total["projection"] < total["statsmodels_ets"] ? "MET" : "MISSED (or not run)");
  std::printf("80 %% interval coverage: %.1f %% (target 75–85 %%) %s\n", 100 * coverage,
              coverage >= 0.75 && coverage <= 0.85 ? "MET" : "MISSED");
  return true;
}

// The case table: about nine months of daily history, 91 days ahead, each
// case scored on its own (MASE scaled by its history's in-sample seasonal
// naive), against the three baselines an analyst tries first.
bool NineMonthCases(const std::string& dir, const std::vector<std::string>& more,
                    const DayKinds& calendar) {
  constexpr int kHistory = 273, kHorizon = 91, kOrigins = 10;
  std::vector<Series> long_series = SyntheticSeries(calendar);
  for (const std::string& path : more) {
    Series series{path.substr(path.find_last_of('/') + 1), Frequency::kDaily, {}, {}};
    if (!LoadSeries(path, &series)) return false;
    long_series.push_back(std::move(series));
  }
  for (const auto& [name, file] : {std::pair("nyc311-flooding", "nyc311-street-flooding-daily.csv"),
                                   std::pair("cfpb-total", "cfpb-daily-total.csv")}) {
    Series series{name, Frequency::kDaily, {}, {}};
    if (!LoadSeries(dir + "/" + file, &series)) return false;
    long_series.push_back(std::move(series));
  }
  const char* kBaselines[] = {"seasonal_naive", "recent_median", "ets"};
  std::printf("%-40s %7s %7s %7s %7s %6s  served\n", "case (series@origin)", "snaive", "median",
              "ets", "SERVED", "cov80");
  std::map<std::string, double> total;
  std::vector<std::map<std::string, double>> rows;
  int inside_80 = 0, points = 0;
  const ProjectionSpec spec{.horizon = kHorizon};
  for (const Series& series : long_series) {
    for (const Case& c : Windows(series, kHistory, kHorizon, kOrigins)) {
      const SeriesContext context{Frequency::kDaily, c.start, &calendar};
      const double scale = MaseScale(c.history, 7);
      std::map<std::string, double> row;
      for (Model model : kAllModels) {
        absl::StatusOr<PointForecast> f = Predict(model, c.history, context, kHorizon);
        if (!f.ok()) {
          std::fprintf(stderr, "%s %s: %s\n", c.name.c_str(), std::string(ModelName(model)).c_str(),
                       f.status().ToString().c_str());
          return false;
        }
        row[std::string(ModelName(model))] = Mase(c.actual, 0, f->mean, scale);
      }
      absl::StatusOr<Projection> p = Project(c.history, context, spec);
      if (!p.ok()) {
        std::fprintf(stderr, "%s: %s\n", c.name.c_str(), p.status().ToString().c_str());
        return false;
      }
      row["served"] = Mase(c.actual, 0, p->mean, scale);
      int inside = 0;
      for (size_t s = 0; s < c.actual.size(); ++s) {
        inside += c.actual[s] >= p->lower_80[s] && c.actual[s] <= p->upper_80[s];
      }
      inside_80 += inside;
      points += static_cast<int>(c.actual.size());
      std::printf("%-40s %7.3f %7.3f %7.3f %7.3f %6.3f  %s\n", c.name.c_str(),
                  row["seasonal_naive"], row["recent_median"], row["ets"], row["served"],
                  static_cast<double>(inside) / static_cast<double>(c.actual.size()),
                  Members(*p).c_str());
      for (const auto& [name, value] : row) total[name] += value;
      rows.push_back(std::move(row));
    }
  }
  const double n = static_cast<double>(rows.size());
  for (auto& [name, value] : total) value /= n;
  std::printf("%-40s %7.3f %7.3f %7.3f %7.3f %6.3f\n", "MEAN", total["seasonal_naive"],
              total["recent_median"], total["ets"], total["served"],
              static_cast<double>(inside_80) / points);
  for (const auto& [name, value] : total) std::printf("  mean %-16s %.3f\n", name.c_str(), value);
  std::string best = kBaselines[0];
  for (const char* name : kBaselines) {
    if (total[name] < total[best]) best = name;
  }
  int losses = 0, oracle_losses = 0;
  for (const auto& row : rows) {
    losses += row.at("served") > row.at(best);
    double oracle = HUGE_VAL;
    for (const char* name : kBaselines) oracle = std::min(oracle, row.at(name));
    oracle_losses += row.at("served") > oracle;
  }
  const double ratio = total["served"] / total[best];
  const double loss_share = losses / n;
  const double coverage = static_cast<double>(inside_80) / points;
  std::printf("\n%zu cases, %d days of history, %d ahead\n", rows.size(), kHistory, kHorizon);
  std::printf("served mean MASE / best baseline (%s): %.3f (target <= 0.90) %s\n", best.c_str(),
              ratio, ratio <= 0.9 ? "MET" : "MISSED");
  std::printf(
      "cases where the served forecast loses to %s: %d of %zu = %.1f %% (target <= 20 %%) %s\n",
      best.c_str(), losses, rows.size(), 100 * loss_share, loss_share <= 0.2 ? "MET" : "MISSED");
  std::printf("cases where it loses to that case's best baseline: %d of %zu = %.1f %%\n",
              oracle_losses, rows.size(), 100 * oracle_losses / n);
  std::printf("80 %% interval coverage: %.1f %% (target 75–85 %%) %s\n\n", 100 * coverage,
              coverage >= 0.75 && coverage <= 0.85 ? "MET" : "MISSED");
  return true;
}

int Run(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: %s DATA_DIR [statsmodels_forecasts.csv] [--cases] [--daily=FILE ...]\n",
                 argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  bool only_cases = false;
  std::vector<std::string> more;
  External external;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--cases") {
      only_cases = true;
    } else if (arg.rfind("--daily=", 0) == 0) {
      more.push_back(arg.substr(8));
    } else {
      external = LoadExternal(argv[i]);
    }
  }
  std::ifstream calendar_file(dir + "/us-federal-calendar.textproto");
  std::stringstream text;
  text << calendar_file.rdbuf();
  v1::BusinessCalendar calendar_config;
  if (!google::protobuf::TextFormat::ParseFromString(text.str(), &calendar_config)) return 1;
  const absl::StatusOr<DayKinds> calendar = DayKinds::From(calendar_config);
  if (!calendar.ok()) return 1;
  if (!NineMonthCases(dir, more, *calendar)) return 1;
  if (only_cases) return 0;
  return LongSeries(dir, external, *calendar) ? 0 : 1;
}

}  // namespace
}  // namespace complaints::analytics

int main(int argc, char** argv) { return complaints::analytics::Run(argc, argv); }
