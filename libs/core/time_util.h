#pragma once
// Conversions between absl::Time and google.protobuf.Timestamp.

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace complaints {

// 9999-12-31T23:59:59Z, the last second a protobuf Timestamp may hold.
inline constexpr int64_t kMaxTimestampSeconds = 253'402'300'799;

google::protobuf::Timestamp ToProto(absl::Time time);
absl::Time FromProto(const google::protobuf::Timestamp& timestamp);
// "YYYY-MM-DD" of `time` in `zone`.
std::string DayOf(absl::Time time, const absl::TimeZone& zone);
// RFC 3339 in UTC, for logs and CLI output.
std::string FormatRfc3339(const google::protobuf::Timestamp& timestamp);

}  // namespace complaints
