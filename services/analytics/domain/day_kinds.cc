#include "services/analytics/domain/day_kinds.h"

#include "absl/strings/str_cat.h"

namespace complaints::analytics {
namespace {

int MondayFirst(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return 0;
    case absl::Weekday::tuesday:
      return 1;
    case absl::Weekday::wednesday:
      return 2;
    case absl::Weekday::thursday:
      return 3;
    case absl::Weekday::friday:
      return 4;
    case absl::Weekday::saturday:
      return 5;
    case absl::Weekday::sunday:
      return 6;
  }
  return 0;
}

absl::Status AddDays(const google::protobuf::RepeatedPtrField<v1::CalendarDay>& days,
                     absl::string_view field, std::set<absl::CivilDay>* out) {
  for (int i = 0; i < days.size(); ++i) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(days[i].date(), &day) ||
        absl::FormatCivilTime(day) != days[i].date()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, "[", i, "].date: not a YYYY-MM-DD date"));
    }
    out->insert(day);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DayKinds> DayKinds::From(const v1::BusinessCalendar& calendar) {
  DayKinds kinds;
  if (!calendar.weekly().empty()) {
    for (bool& working : kinds.working_weekday_) working = false;
    for (const v1::WeekdaySchedule& schedule : calendar.weekly()) {
      if (schedule.weekday() >= 1 && schedule.weekday() <= 7 && !schedule.periods().empty()) {
        kinds.working_weekday_[schedule.weekday() - 1] = true;
      }
    }
  }
  if (absl::Status s = AddDays(calendar.holidays(), "holidays", &kinds.holidays_); !s.ok()) {
    return s;
  }
  if (absl::Status s =
          AddDays(calendar.make_up_working_days(), "make_up_working_days", &kinds.make_up_);
      !s.ok()) {
    return s;
  }
  return kinds;
}

bool DayKinds::IsWorkingDay(absl::CivilDay day) const {
  if (holidays_.count(day) > 0) return false;
  return make_up_.count(day) > 0 || working_weekday_[MondayFirst(day)];
}

DayKind DayKinds::Of(absl::CivilDay day) const {
  if (holidays_.count(day) > 0) return DayKind::kHoliday;
  if (make_up_.count(day) > 0) return DayKind::kMakeUpWorkday;
  if (IsWorkingDay(day) && (holidays_.count(day - 1) > 0 || holidays_.count(day + 1) > 0)) {
    return DayKind::kNextToHoliday;
  }
  return DayKind::kOrdinary;
}

int DayKinds::WorkingDaysInWeek(absl::CivilDay first) const {
  int working = 0;
  for (int i = 0; i < 7; ++i) working += IsWorkingDay(first + i) ? 1 : 0;
  return working;
}

}  // namespace complaints::analytics
