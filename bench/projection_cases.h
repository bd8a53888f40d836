#pragma once
// §5.1 trend projections, measured: the cases the projection backtest scores.
// A case is about nine months of daily history and the 91 days after it, cut
// from a long series at one origin. Long series are the public ones in
// bench/data and synthetic ones of known structure (a weekly pattern,
// holidays, trends, a yearly wave, level shifts, low and over-dispersed
// counts) drawn from a fixed generator, so every run scores the same cases.

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/analytics/domain/forecast_models.h"

namespace complaints::analytics::bench {

struct Series {
  std::string name;
  Frequency frequency = Frequency::kDaily;
  absl::CivilDay start;
  std::vector<double> values;
};

struct Case {
  std::string name;  // "<series>@<origin day>"
  absl::CivilDay start;
  std::vector<double> history;  // the days before the origin
  std::vector<double> actual;   // the days from the origin on
};

// A "date,count" CSV of consecutive days (weekly: weeks); false with a message on stderr.
bool LoadSeries(const std::string& file, Series* series);

// Synthetic daily series of six years from 2012-01-02, holidays from `calendar`.
std::vector<Series> SyntheticSeries(const DayKinds& calendar);

// `origins` windows of history + horizon days, spread evenly over the series.
std::vector<Case> Windows(const Series& series, int history_days, int horizon, int origins);

}  // namespace complaints::analytics::bench
