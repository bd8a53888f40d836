#include "tools/complaintctl/when.h"

#include <memory>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "complaints/v1/admin.grpc.pb.h"

namespace complaints::ctl {
namespace {

constexpr char kForms[] =
    "a date (2026-03-08: midnight in the centre's zone) or a time (2026-03-08T14:30), "
    "optionally with Z, an offset (+08:00) or a zone ([America/New_York])";

absl::Status Bad(absl::string_view flag, absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat(flag, ": \"", text, "\" is not ", kForms));
}

// The wall time of `text` without what follows it; `date_only` when it is a bare date.
bool ParseWall(absl::string_view text, absl::CivilSecond* wall, bool* date_only) {
  absl::CivilDay day;
  absl::CivilMinute minute;
  absl::CivilSecond second;
  const std::string s(text);
  *date_only = false;
  if (text.size() == 10 && absl::ParseCivilTime(s, &day)) {
    *wall = absl::CivilSecond(day);
    *date_only = true;
    return absl::FormatCivilTime(day) == s;
  }
  if (text.size() == 16 && absl::ParseCivilTime(s, &minute)) {
    *wall = absl::CivilSecond(minute);
    return absl::FormatCivilTime(minute) == s;
  }
  if (text.size() == 19 && absl::ParseCivilTime(s, &second)) {
    *wall = second;
    return absl::FormatCivilTime(second) == s;
  }
  return false;
}

struct Parsed {
  absl::CivilSecond wall;
  bool date_only = false;
  std::optional<absl::TimeZone> zone;  // none: the centre's
};

absl::StatusOr<Parsed> Split(absl::string_view flag, absl::string_view text) {
  Parsed parsed;
  absl::string_view wall = text;
  if (absl::EndsWith(text, "]")) {
    const size_t open = text.rfind('[');
    if (open == absl::string_view::npos) return Bad(flag, text);
    const std::string name(text.substr(open + 1, text.size() - open - 2));
    absl::TimeZone zone;
    if (name.empty() || !absl::LoadTimeZone(name, &zone)) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, ": \"", name, "\" is not a known IANA zone"));
    }
    parsed.zone = zone;
    wall = text.substr(0, open);
  } else if (absl::EndsWith(text, "Z") || absl::EndsWith(text, "z")) {
    parsed.zone = absl::UTCTimeZone();
    wall = text.substr(0, text.size() - 1);
  } else if (text.size() > 6 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-') &&
             text[text.size() - 3] == ':') {
    const absl::string_view offset = text.substr(text.size() - 6);
    int hours = 0, minutes = 0;
    if (!absl::SimpleAtoi(offset.substr(1, 2), &hours) ||
        !absl::SimpleAtoi(offset.substr(4, 2), &minutes) || hours > 23 || minutes > 59) {
      return Bad(flag, text);
    }
    const int seconds = (hours * 60 + minutes) * 60 * (offset[0] == '-' ? -1 : 1);
    parsed.zone = absl::FixedTimeZone(seconds);
    wall = text.substr(0, text.size() - 6);
  }
  if (!ParseWall(wall, &parsed.wall, &parsed.date_only)) return Bad(flag, text);
  return parsed;
}

}  // namespace

absl::StatusOr<absl::Time> ParseWhen(absl::string_view flag, absl::string_view text,
                                     const ZoneSource& centre) {
  absl::StatusOr<Parsed> parsed = Split(flag, text);
  if (!parsed.ok()) return parsed.status();
  absl::TimeZone zone;
  if (parsed->zone) {
    zone = *parsed->zone;
  } else {
    absl::StatusOr<absl::TimeZone> asked = centre();
    if (!asked.ok()) return asked.status();
    zone = *asked;
  }
  // A wall time skipped by a daylight-saving change reads as the instant it
  // would have been before the change (absl's "pre" rule, like RFC 9557's).
  return zone.At(parsed->wall).pre;
}

absl::StatusOr<std::string> ParseDay(absl::string_view flag, absl::string_view text,
                                     const ZoneSource& centre) {
  absl::StatusOr<Parsed> parsed = Split(flag, text);
  if (!parsed.ok()) return parsed.status();
  if (parsed->date_only && !parsed->zone) {
    return absl::FormatCivilTime(absl::CivilDay(parsed->wall));
  }
  absl::StatusOr<absl::Time> at = ParseWhen(flag, text, centre);
  if (!at.ok()) return at.status();
  absl::StatusOr<absl::TimeZone> zone = centre();
  if (!zone.ok()) return zone.status();
  return absl::FormatCivilTime(absl::ToCivilDay(*at, *zone));
}

ZoneSource CentreZoneOf(const CtlOptions& options, const std::string& address) {
  auto known = std::make_shared<std::optional<absl::TimeZone>>();
  return [options, address, known]() -> absl::StatusOr<absl::TimeZone> {
    if (known->has_value()) return **known;
    v1::GetCentreResponse centre;
    const grpc::Status status =
        Call(options, address, &v1::AdminService::Stub::GetCentre, v1::GetCentreRequest(), &centre);
    if (!status.ok()) {
      return absl::UnavailableError(absl::StrCat(
          "the centre's time zone (Admin.GetCentre at ", address, "): ", status.error_message(),
          "; give the time with an offset or a zone instead"));
    }
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(centre.time_zone(), &zone)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the centre's time zone \"", centre.time_zone(), "\" is not known on this machine"));
    }
    *known = zone;
    return zone;
  };
}

}  // namespace complaints::ctl
