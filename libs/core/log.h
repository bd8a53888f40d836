#pragma once
// Structured logs: one JSON object per line on stderr, for operations tooling.
// Messages are escaped, so nothing logged can break a line or forge a field;
// protobuf's own warnings go through the same logger.

#include <string>

#include "absl/strings/string_view.h"

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

}  // namespace complaints
