#pragma once
// §3.2 business calendars: working periods by weekday, public holidays and
// make-up working days in the centre's time zone, and the arithmetic deadline
// policies need — adding business time to an instant and measuring business
// time between two instants. Immutable, thread-safe.

#include <set>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "complaints/v1/config.pb.h"

namespace complaints::tracking {

class BusinessCalendar {
 public:
  // INVALID_ARGUMENT naming the field path (e.g. "holidays[3].date") of a bad entry.
  // Its days are the centre's, in `centre_zone` (the services' --time_zone);
  // a config that names another zone is refused (the zone has one source).
  static absl::StatusOr<BusinessCalendar> Create(const v1::BusinessCalendar& config,
                                                 const std::string& centre_zone);

  // The working periods of `day` in local minutes after midnight; empty on a day off.
  const std::vector<v1::WorkingPeriod>& PeriodsOf(absl::CivilDay day) const;
  bool IsWorkingDay(absl::CivilDay day) const { return !PeriodsOf(day).empty(); }

  // The instant at which `duration` of working time has passed since `start`.
  // A zero duration returns `start`. Searches at most ten years ahead (a
  // calendar that works less is rejected by Create).
  absl::Time AddBusinessTime(absl::Time start, absl::Duration duration) const;

  // Working time within [from, to); zero when to <= from.
  absl::Duration BusinessTimeBetween(absl::Time from, absl::Time to) const;

  const absl::TimeZone& zone() const { return zone_; }
  const v1::BusinessCalendar& config() const { return config_; }

 private:
  BusinessCalendar() = default;

  // Calls visit(start, end) for each working interval from the day of `from`
  // on, in order, until it returns false or ten years have been searched.
  template <typename Visit>
  void ForEachInterval(absl::Time from, Visit visit) const;

  v1::BusinessCalendar config_;
  absl::TimeZone zone_;
  std::vector<v1::WorkingPeriod> weekly_[7];  // index: ISO weekday - 1
  std::vector<v1::WorkingPeriod> make_up_;
  std::set<absl::CivilDay> holidays_;
  std::set<absl::CivilDay> make_up_days_;
};

// Parses "YYYY-MM-DD" strictly; false for anything else, including 2026-02-30.
bool ParseDay(absl::string_view text, absl::CivilDay* day);

}  // namespace complaints::tracking
