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
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "complaints/v1/config.pb.h"
#include "google/protobuf/text_format.h"
#include "services/analytics/domain/projection.h"

namespace complaints::analytics {
namespace {

constexpr int kCuts = 8;

struct Series {
  std::string name, file;
  Frequency frequency;
  absl::CivilDay start;
  std::vector<double> values;
};

bool Load(const std::string& dir, Series* series) {
  std::ifstream in(dir + "/" + series->file);
  std::string line;
  if (!std::getline(in, line)) return false;
  absl::CivilDay previous;
  while (std::getline(in, line)) {
    std::vector<std::string> cells = absl::StrSplit(line, ',');
    absl::CivilDay day;
    double count = 0;
    if (cells.size() != 2 || !absl::ParseCivilTime(cells[0], &day) ||
        !absl::SimpleAtod(cells[1], &count)) {
      std::fprintf(stderr, "%s: bad line %s\n", series->file.c_str(), line.c_str());
      return false;
    }
    if (series->values.empty()) series->start = day;
    const int step = series->frequency == Frequency::kDaily ? 1 : 7;
    if (!series->values.empty() && day - previous != step) {
      std::fprintf(stderr, "%s: gap before %s\n", series->file.c_str(), cells[0].c_str());
      return false;
    }
    previous = day;
    series->values.push_back(count);
  }
  return !series->values.empty();
}

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

int Run(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DATA_DIR [statsmodels_forecasts.csv]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const External external = argc > 2 ? LoadExternal(argv[2]) : External{};
  std::ifstream calendar_file(dir + "/us-federal-calendar.textproto");
  std::stringstream text;
  text << calendar_file.rdbuf();
  v1::BusinessCalendar calendar_config;
  if (!google::protobuf::TextFormat::ParseFromString(text.str(), &calendar_config)) return 1;
  const absl::StatusOr<DayKinds> calendar = DayKinds::From(calendar_config);
  if (!calendar.ok()) return 1;

  std::vector<Series> all = {
      {"nyc311-flooding-daily", "nyc311-street-flooding-daily.csv", Frequency::kDaily, {}, {}},
      {"cfpb-total-daily", "cfpb-daily-total.csv", Frequency::kDaily, {}, {}},
      {"nyc311-flooding-weekly", "nyc311-street-flooding-weekly.csv", Frequency::kWeekly, {}, {}},
      {"cfpb-total-weekly", "cfpb-weekly-total.csv", Frequency::kWeekly, {}, {}},
      {"cfpb-citibank-weekly", "cfpb-weekly-citibank.csv", Frequency::kWeekly, {}, {}},
      {"cfpb-debt-collection-weekly",
       "cfpb-weekly-debt-collection.csv",
       Frequency::kWeekly,
       {},
       {}},
  };
  const std::vector<Model> models(std::begin(kAllModels), std::end(kAllModels));
  std::printf("%-28s %5s %3s %8s %8s %8s %8s %8s %8s %8s %6s %6s  chosen\n", "series", "n", "h",
              "snaive", "median", "sm_ets", "ets", "ets_log", "calendar", "PROJ", "cov80", "cov95");
  std::map<std::string, double> total;
  int counted = 0;
  int inside_80 = 0, inside_95 = 0, points = 0;
  for (Series& series : all) {
    if (!Load(dir, &series)) return 1;
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
      const SeriesContext context{series.frequency, series.start, &*calendar};
      const double scale = MaseScale(train, SeasonalPeriod(series.frequency, train.size()));
      for (Model model : models) {
        absl::StatusOr<PointForecast> f = Predict(model, train, context, horizon);
        if (!f.ok()) {
          std::fprintf(stderr, "%s %s: %s\n", series.name.c_str(),
                       std::string(ModelName(model)).c_str(), f.status().ToString().c_str());
          return 1;
        }
        mase[std::string(ModelName(model))] += Mase(series.values, cut, f->mean, scale) / kCuts;
      }
      absl::StatusOr<Projection> p = Project(train, context, spec);
      if (!p.ok()) {
        std::fprintf(stderr, "%s: %s\n", series.name.c_str(), p.status().ToString().c_str());
        return 1;
      }
      mase["projection"] += Mase(series.values, cut, p->mean, scale) / kCuts;
      ++chosen[std::string(ModelName(p->model))];
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
  return 0;
}

}  // namespace
}  // namespace complaints::analytics

int main(int argc, char** argv) { return complaints::analytics::Run(argc, argv); }
