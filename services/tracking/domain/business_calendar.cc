#include "services/tracking/domain/business_calendar.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace complaints::tracking {
namespace {

constexpr int kSearchDays = 3660;
const std::vector<v1::WorkingPeriod> kNoPeriods;

absl::Status Invalid(absl::string_view path, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", reason));
}

int IsoWeekday(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return 1;
    case absl::Weekday::tuesday:
      return 2;
    case absl::Weekday::wednesday:
      return 3;
    case absl::Weekday::thursday:
      return 4;
    case absl::Weekday::friday:
      return 5;
    case absl::Weekday::saturday:
      return 6;
    case absl::Weekday::sunday:
      return 7;
  }
  return 1;
}

// Periods must lie within the day, be non-empty and not overlap; they are sorted on return.
absl::Status CheckPeriods(const std::string& path, std::vector<v1::WorkingPeriod>& periods) {
  std::sort(periods.begin(), periods.end(),
            [](const auto& a, const auto& b) { return a.start_minute() < b.start_minute(); });
  for (size_t i = 0; i < periods.size(); ++i) {
    const v1::WorkingPeriod& period = periods[i];
    if (period.start_minute() < 0 || period.end_minute() > 1440 ||
        period.start_minute() >= period.end_minute()) {
      return Invalid(path, absl::StrCat("period ", period.start_minute(), "-", period.end_minute(),
                                        " must satisfy 0 <= start < end <= 1440"));
    }
    if (i > 0 && periods[i - 1].end_minute() > period.start_minute()) {
      return Invalid(path, "periods overlap");
    }
  }
  return absl::OkStatus();
}

absl::Status ParseDays(const google::protobuf::RepeatedPtrField<v1::CalendarDay>& days,
                       absl::string_view field, std::set<absl::CivilDay>* out) {
  for (int i = 0; i < days.size(); ++i) {
    absl::CivilDay day;
    if (!ParseDay(days[i].date(), &day)) {
      return Invalid(absl::StrCat(field, "[", i, "].date"), "not a day in YYYY-MM-DD form");
    }
    if (!out->insert(day).second) {
      return Invalid(absl::StrCat(field, "[", i, "].date"), "listed twice");
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool ParseDay(absl::string_view text, absl::CivilDay* day) {
  if (text.size() != 10 || !absl::ParseCivilTime(text, day)) return false;
  // absl normalises 2026-02-30 to 2026-03-02; a strict parse round-trips.
  return absl::FormatCivilTime(*day) == text;
}

absl::StatusOr<BusinessCalendar> BusinessCalendar::Create(const v1::BusinessCalendar& config,
                                                          const std::string& centre_zone) {
  BusinessCalendar calendar;
  calendar.config_ = config;
  if (config.id().empty()) return Invalid("id", "required");
  if (config.version() < 1) return Invalid("version", "must be at least 1");
  if (!config.time_zone().empty() && config.time_zone() != centre_zone) {
    return Invalid(
        "time_zone",
        absl::StrCat("\"", config.time_zone(), "\" is not the centre's zone \"", centre_zone,
                     "\"; leave it out: the zone is set once, by COMPLAINTS_TIME_ZONE"));
  }
  if (!absl::LoadTimeZone(centre_zone, &calendar.zone_))
    return Invalid("time_zone", "unknown zone " + centre_zone);
  for (int i = 0; i < config.weekly_size(); ++i) {
    const v1::WeekdaySchedule& schedule = config.weekly(i);
    const std::string path = absl::StrCat("weekly[", i, "]");
    if (schedule.weekday() < 1 || schedule.weekday() > 7) {
      return Invalid(path + ".weekday", "must be 1 (Monday) to 7 (Sunday)");
    }
    auto& periods = calendar.weekly_[schedule.weekday() - 1];
    if (!periods.empty()) return Invalid(path + ".weekday", "listed twice");
    periods.assign(schedule.periods().begin(), schedule.periods().end());
    if (absl::Status s = CheckPeriods(path + ".periods", periods); !s.ok()) return s;
  }
  if (std::all_of(std::begin(calendar.weekly_), std::end(calendar.weekly_),
                  [](const auto& periods) { return periods.empty(); })) {
    return Invalid("weekly", "at least one weekday must have working periods");
  }
  calendar.make_up_.assign(config.make_up_periods().begin(), config.make_up_periods().end());
  if (calendar.make_up_.empty()) calendar.make_up_ = calendar.weekly_[0];
  if (absl::Status s = CheckPeriods("make_up_periods", calendar.make_up_); !s.ok()) return s;
  if (calendar.make_up_.empty()) {
    return Invalid("make_up_periods", "required when Monday has no working periods");
  }
  if (absl::Status s = ParseDays(config.holidays(), "holidays", &calendar.holidays_); !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ParseDays(config.make_up_working_days(), "make_up_working_days", &calendar.make_up_days_);
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < config.make_up_working_days_size(); ++i) {
    absl::CivilDay day;
    ParseDay(config.make_up_working_days(i).date(), &day);
    if (calendar.holidays_.count(day)) {
      return Invalid(absl::StrCat("make_up_working_days[", i, "].date"), "is also a holiday");
    }
  }
  return calendar;
}

const std::vector<v1::WorkingPeriod>& BusinessCalendar::PeriodsOf(absl::CivilDay day) const {
  if (holidays_.count(day)) return kNoPeriods;
  if (make_up_days_.count(day)) return make_up_;
  return weekly_[IsoWeekday(day) - 1];
}

template <typename Visit>
void BusinessCalendar::ForEachInterval(absl::Time from, Visit visit) const {
  const absl::CivilDay first = absl::ToCivilDay(from, zone_);
  for (int offset = 0; offset < kSearchDays; ++offset) {
    const absl::CivilDay day = first + offset;
    for (const v1::WorkingPeriod& period : PeriodsOf(day)) {
      const absl::Time start =
          absl::FromCivil(absl::CivilMinute(day) + period.start_minute(), zone_);
      const absl::Time end = absl::FromCivil(absl::CivilMinute(day) + period.end_minute(), zone_);
      if (end <= from) continue;
      if (!visit(std::max(start, from), end)) return;
    }
  }
}

absl::Time BusinessCalendar::AddBusinessTime(absl::Time start, absl::Duration duration) const {
  if (duration <= absl::ZeroDuration()) return start;
  absl::Duration remaining = duration;
  absl::Time due = absl::InfiniteFuture();
  ForEachInterval(start, [&](absl::Time from, absl::Time to) {
    if (to - from >= remaining) {
      due = from + remaining;
      return false;
    }
    remaining -= to - from;
    return true;
  });
  return due;
}

absl::Duration BusinessCalendar::BusinessTimeBetween(absl::Time from, absl::Time to) const {
  absl::Duration total = absl::ZeroDuration();
  if (to <= from) return total;
  ForEachInterval(from, [&](absl::Time start, absl::Time end) {
    if (start >= to) return false;
    total += std::min(end, to) - start;
    return end < to;
  });
  return total;
}

}  // namespace complaints::tracking
