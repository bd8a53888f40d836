#include "bench/projection_cases.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/analytics/domain/day_kinds.h"

namespace complaints::analytics::bench {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Monday first: a working-week pattern, quiet weekends.
constexpr double kOffice[7] = {1.25, 1.15, 1.1, 1.05, 1.0, 0.45, 0.3};
// Flatter: a service used every day, busier at weekends.
constexpr double kEveryDay[7] = {0.95, 0.9, 0.9, 0.95, 1.05, 1.15, 1.1};

struct Shape {
  const char* name;
  double level;
  const double* week;
  double holiday;      // factor on holidays
  double trend;        // growth per year, as a fraction
  double yearly;       // amplitude of a yearly wave, as a fraction
  double shift_every;  // days between level shifts (0: none)
  double dispersion;   // gamma shape of the day's rate (0: plain Poisson)
};

constexpr Shape kShapes[] = {
    {"synthetic-office-holidays", 80, kOffice, 0.3, 0, 0, 0, 0},
    {"synthetic-growth-yearly", 30, kOffice, 0.4, 0.3, 0.25, 0, 0},
    {"synthetic-low-counts", 2.5, kOffice, 0.3, 0, 0.15, 0, 0},
    {"synthetic-level-shifts", 50, kEveryDay, 0.8, 0, 0, 150, 0},
    {"synthetic-overdispersed", 40, kOffice, 0.35, -0.1, 0.2, 0, 4},
};

}  // namespace

bool LoadSeries(const std::string& file, Series* series) {
  std::ifstream in(file);
  std::string line;
  if (!std::getline(in, line)) {
    std::fprintf(stderr, "%s: cannot read\n", file.c_str());
    return false;
  }
  const int step = series->frequency == Frequency::kDaily ? 1 : 7;
  absl::CivilDay previous;
  while (std::getline(in, line)) {
    std::vector<std::string> cells = absl::StrSplit(line, ',');
    absl::CivilDay day;
    double count = 0;
    if (cells.size() != 2 || !absl::ParseCivilTime(cells[0], &day) ||
        !absl::SimpleAtod(cells[1], &count)) {
      std::fprintf(stderr, "%s: bad line %s\n", file.c_str(), line.c_str());
      return false;
    }
    if (series->values.empty()) series->start = day;
    if (!series->values.empty() && day - previous != step) {
      std::fprintf(stderr, "%s: gap before %s\n", file.c_str(), cells[0].c_str());
      return false;
    }
    previous = day;
    series->values.push_back(count);
  }
  return !series->values.empty();
}

std::vector<Series> SyntheticSeries(const DayKinds& calendar) {
  const absl::CivilDay start(2012, 1, 2);  // a Monday
  constexpr int kDays = 6 * 365;
  std::vector<Series> out;
  uint64_t seed = 20261205;
  for (const Shape& shape : kShapes) {
    std::mt19937_64 random(seed++);
    std::uniform_real_distribution<double> uniform(0.7, 1.4);
    Series series{shape.name, Frequency::kDaily, start, {}};
    double shift = 1;
    for (int i = 0; i < kDays; ++i) {
      const absl::CivilDay day = start + i;
      if (shape.shift_every > 0 && i > 0 && i % static_cast<int>(shape.shift_every) == 0) {
        shift = uniform(random);
      }
      double rate = shape.level * shape.week[i % 7] * shift * (1 + shape.trend * i / 365.0) *
                    (1 + shape.yearly * std::sin(2 * kPi * i / 365.25));
      if (calendar.Of(day) == DayKind::kHoliday) rate *= shape.holiday;
      if (shape.dispersion > 0) {
        std::gamma_distribution<double> gamma(shape.dispersion, 1 / shape.dispersion);
        rate *= gamma(random);
      }
      std::poisson_distribution<int> poisson(std::max(rate, 1e-9));
      series.values.push_back(poisson(random));
    }
    out.push_back(std::move(series));
  }
  return out;
}

std::vector<Case> Windows(const Series& series, int history_days, int horizon, int origins) {
  std::vector<Case> out;
  const int length = history_days + horizon;
  const int room = static_cast<int>(series.values.size()) - length;
  if (room < 0 || origins < 1) return out;
  for (int k = 0; k < origins; ++k) {
    const int first = origins == 1 ? room : room * k / (origins - 1);
    const auto begin = series.values.begin() + first;
    Case c;
    c.start = series.start + first;
    c.name = absl::StrCat(series.name, "@", absl::FormatCivilTime(c.start + history_days));
    c.history.assign(begin, begin + history_days);
    c.actual.assign(begin + history_days, begin + length);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace complaints::analytics::bench
