#pragma once
// Structured logs: one JSON object per line on stderr, for operations tooling.
// Messages are escaped, so nothing logged can break a line or forge a field;
// protobuf's own warnings go through the same logger.

#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/string_view.h"
#include "fmt/format.h"

namespace complaints {

// Sets the default spdlog logger to JSON lines tagged with `service`.
void InitLogging(absl::string_view service);

// `text` as the inside of a JSON string. Bytes that are not UTF-8 pass
// through; callers quote outside text with EscapedPrefix (libs/core/text.h).
std::string JsonEscape(absl::string_view text);

// What names the complaint a log line is about. While a ComplaintLogScope
// lives, every line its thread logs carries these as top-level JSON fields
// ("complaint_id", "event_id", "causation_id"; empty ones left out), so one
// complaint can be followed across the four services' logs with
// `jq 'select(.complaint_id == "…")'`. Ids only: never personal data.
struct ComplaintLogFields {
  std::string complaint_id;
  std::string event_id = "";
  std::string causation_id = "";
};

class ComplaintLogScope {
 public:
  explicit ComplaintLogScope(ComplaintLogFields fields);
  ~ComplaintLogScope();
  ComplaintLogScope(const ComplaintLogScope&) = delete;
  ComplaintLogScope& operator=(const ComplaintLogScope&) = delete;

 private:
  ComplaintLogFields fields_;
  const ComplaintLogFields* outer_;
};

// Sets the default logger's threshold: "debug", "info", "warn" or "error";
// false (changing nothing) for any other name.
bool SetLogLevel(absl::string_view level);

// Every log line of the platform goes through these (spdlog stays behind
// log.cc): log::Info("relay: stopped after {} s", seconds). A line below the
// threshold costs one comparison; its message is never formatted.
namespace log {

enum class Level { kDebug, kInfo, kWarn, kError, kCritical };

bool Enabled(Level level);
void Write(Level level, std::string_view message);

template <typename... Args>
void At(Level level, fmt::format_string<Args...> format, Args&&... args) {
  if (Enabled(level)) Write(level, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
void Debug(fmt::format_string<Args...> format, Args&&... args) {
  At(Level::kDebug, format, std::forward<Args>(args)...);
}
template <typename... Args>
void Info(fmt::format_string<Args...> format, Args&&... args) {
  At(Level::kInfo, format, std::forward<Args>(args)...);
}
template <typename... Args>
void Warn(fmt::format_string<Args...> format, Args&&... args) {
  At(Level::kWarn, format, std::forward<Args>(args)...);
}
template <typename... Args>
void Error(fmt::format_string<Args...> format, Args&&... args) {
  At(Level::kError, format, std::forward<Args>(args)...);
}
template <typename... Args>
void Critical(fmt::format_string<Args...> format, Args&&... args) {
  At(Level::kCritical, format, std::forward<Args>(args)...);
}

}  // namespace log

}  // namespace complaints
