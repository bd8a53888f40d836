#include "libs/core/time_util.h"

#include "absl/time/civil_time.h"

namespace complaints {

google::protobuf::Timestamp ToProto(absl::Time time) {
  google::protobuf::Timestamp out;
  const int64_t nanos = absl::ToUnixNanos(time);
  int64_t seconds = nanos / 1'000'000'000;
  int64_t rest = nanos % 1'000'000'000;
  if (rest < 0) {
    rest += 1'000'000'000;
    --seconds;
  }
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(rest));
  return out;
}

absl::Time FromProto(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

std::string DayOf(absl::Time time, const absl::TimeZone& zone) {
  // Written out by hand: FormatTime's format parsing was most of analytics'
  // cost per event, which takes several days of each complaint's view.
  const absl::CivilDay day = absl::ToCivilDay(time, zone);
  if (day.year() < 1000 || day.year() > 9999) return absl::FormatTime("%Y-%m-%d", time, zone);
  std::string text = "0000-00-00";
  const auto put = [&text](size_t end, int64_t value) {
    for (size_t i = end; value > 0; --i, value /= 10) text[i] = static_cast<char>('0' + value % 10);
  };
  put(3, day.year());
  put(6, day.month());
  put(9, day.day());
  return text;
}

std::string FormatRfc3339(const google::protobuf::Timestamp& timestamp) {
  return absl::FormatTime(absl::RFC3339_sec, FromProto(timestamp), absl::UTCTimeZone());
}

}  // namespace complaints
