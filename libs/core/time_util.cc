#include "libs/core/time_util.h"

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
  return absl::FormatTime("%Y-%m-%d", time, zone);
}

std::string FormatRfc3339(const google::protobuf::Timestamp& timestamp) {
  return absl::FormatTime(absl::RFC3339_sec, FromProto(timestamp), absl::UTCTimeZone());
}

}  // namespace complaints
