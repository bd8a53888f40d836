#pragma once
// §5.1 data analysis and §5.3 training: figures over complaints, grouped by
// any of day, category, community, channel, department and handler —
// volumes, response and resolution times (median and p90), SLA compliance,
// escalations, satisfaction, reopen and recurrence rates. Built from the
// complaint view, which carries no personal data. Pure.

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "complaints/v1/analytics.pb.h"
#include "complaints/v1/state.pb.h"
#include "complaints/v1/tracking.pb.h"

namespace complaints::analytics {

// What one complaint contributes to the figures.
struct ComplaintFacts {
  v1::MetricsRow dimensions;                             // day … handler filled, figures empty
  std::optional<absl::Duration> response;                // receipt -> first acceptance
  std::optional<absl::Duration> resolution;              // receipt -> resolved
  v1::SlaVerdict verdict = v1::SLA_VERDICT_UNSPECIFIED;  // SlaVerdictOf
  int escalations = 0;
  std::optional<int> satisfaction;
  bool reopened = false;
  std::optional<bool> recurred;  // set once the long-term check is done
  bool duplicate = false;        // §3.1 linked as a duplicate of another complaint
};

// nullopt for a complaint not yet received and classified.
std::optional<ComplaintFacts> FactsOf(const v1::ComplaintView& view, const absl::TimeZone& zone);

// FactsOf's dimensions without the week and month (what a complaint's
// series are keyed by): day, category, community, channel, department and
// handler. nullopt when FactsOf's is.
std::optional<v1::MetricsRow> DimensionsOf(const v1::ComplaintView& view,
                                           const absl::TimeZone& zone);

// Time buckets (day, ISO week, month in the centre's zone) and the other dimensions.
enum class Dimension {
  kDay,
  kWeek,
  kMonth,
  kCategory,
  kCommunity,
  kChannel,
  kDepartment,
  kHandler
};

// One row per distinct combination of `grouping`, ordered by those values.
std::vector<v1::MetricsRow> Aggregate(const std::vector<ComplaintFacts>& facts,
                                      const std::vector<Dimension>& grouping);

// The q-quantile (0..1) by the nearest-rank method; 0 for no values.
double QuantileMinutes(std::vector<absl::Duration> values, double q);

}  // namespace complaints::analytics
