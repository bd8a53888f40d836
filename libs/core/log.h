#pragma once
// Structured logs: one JSON object per line on stderr, for operations tooling.

#include "absl/strings/string_view.h"

namespace complaints {

// Sets the default spdlog logger to JSON lines tagged with `service`.
void InitLogging(absl::string_view service);

}  // namespace complaints
