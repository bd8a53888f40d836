// §5.1 trend projections: series counts read from the store, projected by
// domain/projection, answered from the stored projection when it is current
// and computed on request otherwise. The refresher recomputes the stored
// projections of the series that events changed (all of them when the day
// turns, since the origin moved).
#include <iterator>
#include <map>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "libs/runner/partitioning.h"
#include "services/analytics/app/analytics_app.h"
#include "services/analytics/app/analytics_families.h"
#include "services/analytics/domain/counts.h"

namespace complaints::analytics {
namespace {

constexpr int kDefaultDays = 28;
constexpr int kDefaultWeeks = 13;
constexpr int kMaxDays = 92;   // a quarter
constexpr int kMaxWeeks = 26;  // half a year
constexpr int kHistoryWeeks = 13;
// Days without a count before the origin after which the answer says so.
constexpr int kQuietDays = 28;

struct Query {
  SeriesId series;
  Frequency frequency = Frequency::kDaily;
  int horizon = kDefaultDays;
  std::optional<absl::CivilDay> origin;  // none: today
};

absl::CivilDay WeekStart(absl::CivilDay day) {
  return absl::PrevWeekday(day + 1, absl::Weekday::monday);
}

absl::StatusOr<Query> CheckQuery(const v1::GetProjectionRequest& request) {
  Query query;
  switch (request.interval()) {
    case v1::FIGURE_DIMENSION_UNSPECIFIED:
    case v1::FIGURE_DIMENSION_DAY:
      break;
    case v1::FIGURE_DIMENSION_WEEK:
      query.frequency = Frequency::kWeekly;
      break;
    default:
      return absl::InvalidArgumentError("interval: DAY or WEEK");
  }
  ASSIGN_OR_RETURN(query.series, CheckSeries(request.dimension(), request.value()));
  const bool daily = query.frequency == Frequency::kDaily;
  const int max = daily ? kMaxDays : kMaxWeeks;
  if (request.horizon() < 0 || request.horizon() > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("horizon: 1–", max, daily ? " days" : " weeks", ", or 0 for the default"));
  }
  query.horizon =
      request.horizon() != 0 ? request.horizon() : (daily ? kDefaultDays : kDefaultWeeks);
  if (!request.origin().empty()) {
    RETURN_IF_ERROR(ValidateDay("origin", request.origin()));
    absl::CivilDay origin;
    absl::ParseCivilTime(request.origin(), &origin);
    query.origin = origin;
  }
  return query;
}

std::string StoredKey(const SeriesId& series, Frequency frequency) {
  return absl::StrCat(frequency == Frequency::kDaily ? "D" : "W", SeriesPrefix(series));
}

// Marks a series in a partition's index of series: "<partition>#<series prefix>".
constexpr char kIndexMark = '#';

// The answer when nothing was counted in the window a projection reads: a
// series whose complaints all lie further back says when they stopped.
absl::Status NothingBefore(const std::map<absl::CivilDay, int64_t>& earlier, absl::CivilDay origin,
                           absl::CivilDay window_start) {
  if (earlier.empty()) {
    return absl::NotFoundError(absl::StrCat("series: no complaints counted before the origin ",
                                            absl::FormatCivilTime(origin)));
  }
  const absl::CivilDay last = earlier.rbegin()->first;
  return absl::FailedPreconditionError(absl::StrCat(
      "origin: the series has no complaints counted from ", absl::FormatCivilTime(window_start),
      " to the origin ", absl::FormatCivilTime(origin), "; its last were on ",
      absl::FormatCivilTime(last), ", ", origin - last, " days before: give an origin up to ",
      absl::FormatCivilTime(last + 1), " to project from its own end"));
}

}  // namespace

std::string SeriesIndexKey(int32_t partition, const SeriesId& series) {
  return absl::StrCat(PartitionPrefix(partition), std::string(1, kIndexMark), SeriesPrefix(series));
}

absl::StatusOr<std::map<absl::CivilDay, int64_t>> AnalyticsApp::DailyCounts(
    const SeriesId& series, absl::CivilDay from, absl::CivilDay to) const {
  std::map<absl::CivilDay, int64_t> counts;
  const std::string prefix = SeriesPrefix(series);
  for (int32_t partition = 0; partition < options_.parts.store->partitions(); ++partition) {
    const std::string base = PartitionPrefix(partition) + prefix;
    RETURN_IF_ERROR(options_.parts.store->Scan(
        kSeriesFamily, base + absl::FormatCivilTime(from), base + absl::FormatCivilTime(to),
        SIZE_MAX, [&](absl::string_view key, absl::string_view value) {
          absl::StatusOr<std::pair<SeriesId, absl::CivilDay>> parsed =
              ParseSeriesKey(key.substr(kPartitionPrefixBytes));
          int64_t count = 0;
          if (!parsed.ok() || !absl::SimpleAtoi(value, &count)) {
            log::Error("analytics: series row {} is unreadable", EscapedPrefix(key, 80));
            return true;
          }
          counts[parsed->second] += count;
          return true;
        }));
  }
  return counts;
}

absl::StatusOr<v1::GetProjectionResponse> AnalyticsApp::Compute(const SeriesId& series,
                                                                Frequency frequency, int horizon,
                                                                absl::CivilDay origin) const {
  const bool daily = frequency == Frequency::kDaily;
  const int step = daily ? 1 : 7;
  const ProjectionSpec spec{.horizon = horizon, .max_history = daily ? 3 * 365u : 520u};
  // Enough history for the fitted window and every backtest cut before it.
  const int64_t periods = static_cast<int64_t>(spec.max_history) + spec.origins * horizon;
  const absl::CivilDay today = absl::ToCivilDay(options_.parts.clock->Now(), options_.zone);
  const absl::CivilDay end = std::min(origin + int64_t{horizon} * step, today);
  ASSIGN_OR_RETURN(const auto counts, DailyCounts(series, origin - periods * step, end));
  if (counts.empty() || counts.begin()->first >= origin) {
    ASSIGN_OR_RETURN(const auto earlier,
                     DailyCounts(series, absl::CivilDay(1970, 1, 1), origin - periods * step));
    return NothingBefore(earlier, origin, origin - periods * step);
  }
  // From the first counted day (weekly: the first whole week) to the origin, zero-filled.
  absl::CivilDay start = counts.begin()->first;
  if (!daily && WeekStart(start) != start) start = WeekStart(start) + 7;
  auto sum = [&](absl::CivilDay first) {
    int64_t total = 0;
    for (auto it = counts.lower_bound(first); it != counts.end() && it->first < first + step;
         ++it) {
      total += it->second;
    }
    return total;
  };
  std::vector<double> history;
  for (absl::CivilDay period = start; period < origin; period += step) {
    history.push_back(static_cast<double>(sum(period)));
  }
  const SeriesContext context{frequency, start, &options_.calendar};
  absl::StatusOr<Projection> projected = Project(history, context, spec);
  if (!projected.ok()) {
    return absl::Status(projected.status().code(),
                        absl::StrCat(projected.status().message(), " (counted from ",
                                     absl::FormatCivilTime(start), ")"));
  }
  const Projection& projection = *projected;

  v1::GetProjectionResponse response;
  response.set_model(projection.combined.size() > 1
                         ? "combination"
                         : std::string(ModelName(projection.combined[0])));
  for (Model model : projection.combined) response.add_combined(std::string(ModelName(model)));
  for (const auto& [name, value] : projection.parameters) {
    v1::ModelParameter* parameter = response.add_parameters();
    parameter->set_name(name);
    parameter->set_value(value);
  }
  for (size_t h = 0; h < projection.mean.size(); ++h) {
    const absl::CivilDay period = origin + static_cast<int64_t>(h) * step;
    v1::ProjectionPoint* point = response.add_points();
    point->set_period(absl::FormatCivilTime(period));
    point->set_forecast(projection.mean[h]);
    point->set_lower_80(projection.lower_80[h]);
    point->set_upper_80(projection.upper_80[h]);
    point->set_lower_95(projection.lower_95[h]);
    point->set_upper_95(projection.upper_95[h]);
    if (period + step <= today) point->set_actual(sum(period));
  }
  auto add_score = [&](const ModelScore& score) {
    v1::ModelAccuracy* accuracy = response.add_backtest();
    accuracy->set_model(score.model);
    accuracy->set_mase(score.mase);
    accuracy->set_coverage_80(score.coverage_80);
    accuracy->set_coverage_95(score.coverage_95);
  };
  // A single served candidate is the best one, first among the scores already.
  if (projection.combined.size() > 1) add_score(projection.served);
  for (const ModelScore& score : projection.scores) add_score(score);
  response.set_backtest_origins(projection.origins);
  response.set_backtest_spacing(projection.spacing);
  response.set_horizon(projection.horizon);
  for (const std::string& note : projection.notes) response.add_notes(note);
  const absl::CivilDay last_counted = std::prev(counts.lower_bound(origin))->first;
  if (origin - last_counted > kQuietDays) {
    response.add_notes(absl::StrCat(
        "series: nothing counted since ", absl::FormatCivilTime(last_counted), ", ",
        origin - last_counted, " days before the origin; the projection carries that on"));
  }
  response.set_interval_widening_80(projection.widening_80);
  response.set_interval_widening_95(projection.widening_95);
  response.set_held_out_coverage_80(projection.coverage_80);
  response.set_held_out_coverage_95(projection.coverage_95);
  const size_t shown = static_cast<size_t>(daily ? 7 * kHistoryWeeks : kHistoryWeeks);
  for (size_t i = history.size() > shown ? history.size() - shown : 0; i < history.size(); ++i) {
    v1::HistoryPoint* point = response.add_history();
    point->set_period(absl::FormatCivilTime(start + static_cast<int64_t>(i) * step));
    point->set_count(static_cast<int64_t>(history[i]));
  }
  response.set_origin(absl::FormatCivilTime(origin));
  *response.mutable_computed_at() = ToProto(options_.parts.clock->Now());
  return response;
}

absl::CivilDay AnalyticsApp::CurrentOrigin(Frequency frequency) const {
  const absl::CivilDay today = absl::ToCivilDay(options_.parts.clock->Now(), options_.zone);
  return frequency == Frequency::kDaily ? today : WeekStart(today);
}

absl::StatusOr<v1::GetProjectionResponse> AnalyticsApp::GetProjection(
    const v1::GetProjectionRequest& request) const {
  ASSIGN_OR_RETURN(const Query query, CheckQuery(request));
  const absl::CivilDay current = CurrentOrigin(query.frequency);
  absl::CivilDay origin = query.origin.value_or(current);
  if (query.frequency == Frequency::kWeekly) origin = WeekStart(origin);
  if (origin > current) return absl::InvalidArgumentError("origin: in the future");
  const int default_horizon = query.frequency == Frequency::kDaily ? kDefaultDays : kDefaultWeeks;
  if (origin == current && query.horizon == default_horizon) {
    ASSIGN_OR_RETURN(
        std::optional<std::string> stored,
        options_.parts.store->Get(kProjectionsFamily, StoredKey(query.series, query.frequency)));
    v1::GetProjectionResponse response;
    if (stored.has_value() && response.ParseFromString(*stored) &&
        response.origin() == absl::FormatCivilTime(origin)) {
      response.set_stored(true);
      return response;
    }
  }
  if (computing_projections_.fetch_add(1) >= options_.max_computing_projections) {
    computing_projections_.fetch_sub(1);
    return absl::ResourceExhaustedError(
        absl::StrCat("projection: ", options_.max_computing_projections,
                     " projections are being computed; try again shortly (today's with the "
                     "default horizon is stored and always served)"));
  }
  absl::Cleanup done = [this] { computing_projections_.fetch_sub(1); };
  return Compute(query.series, query.frequency, query.horizon, origin);
}

void AnalyticsApp::MarkChanged(const SeriesId& series) {
  absl::MutexLock lock(&changed_mu_);
  changed_.insert(series);
}

absl::StatusOr<int> AnalyticsApp::RefreshProjections() {
  std::set<SeriesId> due;
  const absl::CivilDay today = CurrentOrigin(Frequency::kDaily);
  {
    absl::MutexLock lock(&changed_mu_);
    due.swap(changed_);
  }
  if (!refreshed_day_ || *refreshed_day_ != today) {
    // A new day moves every origin: all series are due.
    for (int32_t partition = 0; partition < options_.parts.store->partitions(); ++partition) {
      const std::string begin = PartitionPrefix(partition) + std::string(1, kIndexMark);
      RETURN_IF_ERROR(options_.parts.store->Scan(
          kSeriesFamily, begin, PartitionPrefix(partition) + std::string(1, kIndexMark + 1),
          SIZE_MAX, [&](absl::string_view key, absl::string_view) {
            absl::StatusOr<std::pair<SeriesId, absl::CivilDay>> parsed =
                ParseSeriesKey(absl::StrCat(key.substr(kPartitionPrefixBytes + 1), "2000-01-01"));
            if (parsed.ok()) due.insert(parsed->first);
            return true;
          }));
    }
    refreshed_day_ = today;
  }
  int refreshed = 0;
  for (const SeriesId& series : due) {
    absl::Status status = RefreshOne(series, &refreshed);
    if (!status.ok()) {
      refreshed_day_.reset();  // the next run starts over with every series
      return status;
    }
  }
  return refreshed;
}

absl::Status AnalyticsApp::RefreshOne(const SeriesId& series, int* refreshed) {
  {
    for (Frequency frequency : {Frequency::kDaily, Frequency::kWeekly}) {
      const int horizon = frequency == Frequency::kDaily ? kDefaultDays : kDefaultWeeks;
      absl::StatusOr<v1::GetProjectionResponse> projection =
          Compute(series, frequency, horizon, CurrentOrigin(frequency));
      Batch batch;
      if (projection.ok()) {
        batch.Put(kProjectionsFamily, StoredKey(series, frequency),
                  projection->SerializeAsString());
        ++*refreshed;
      } else if (absl::IsFailedPrecondition(projection.status()) ||
                 absl::IsNotFound(projection.status())) {
        batch.Delete(kProjectionsFamily, StoredKey(series, frequency));  // too little history yet
      } else {
        return projection.status();
      }
      RETURN_IF_ERROR(options_.parts.store->Write(batch, Durability::kBuffered));
    }
  }
  return absl::OkStatus();
}

}  // namespace complaints::analytics
