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

}  // namespace complaints
