#pragma once
// §5.1 trend projections: the business calendar of a series' place as the
// models see it — which days are public holidays, make-up working days
// (调休上班) or the day beside a holiday, and how many working days a week
// has. Built from the same v1::BusinessCalendar that tracking's deadlines use.
// Pure, immutable.

#include <set>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "complaints/v1/config.pb.h"

namespace complaints::analytics {

enum class DayKind {
  kOrdinary,
  kHoliday,
  kMakeUpWorkday,  // a weekend day worked in exchange for a holiday
  kNextToHoliday,  // the working day just before or after a holiday (bridge days)
};

class DayKinds {
 public:
  DayKinds() = default;  // no holidays, Monday–Friday working
  // INVALID_ARGUMENT naming the entry ("holidays[3].date") that is not YYYY-MM-DD.
  static absl::StatusOr<DayKinds> From(const v1::BusinessCalendar& calendar);

  DayKind Of(absl::CivilDay day) const;
  bool IsWorkingDay(absl::CivilDay day) const;
  // Working days in the seven days from `first`.
  int WorkingDaysInWeek(absl::CivilDay first) const;
  bool has_holidays() const { return !holidays_.empty(); }

 private:
  std::set<absl::CivilDay> holidays_;
  std::set<absl::CivilDay> make_up_;
  bool working_weekday_[7] = {true, true, true, true, true, false, false};  // Monday first
};

}  // namespace complaints::analytics
