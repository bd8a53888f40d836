#pragma once
// Analytics as a process: its store and runtime opened, its consumers (every
// writer's topic) and the projection and report refresh wired, its gRPC API
// and, when asked, the analysts' HTTP/JSON API and dashboard served until
// signalled. main.cc only turns flags and the calendar into these options.

#include <optional>
#include <string>

#include "libs/crypto/sealing.h"
#include "libs/server/runtime.h"
#include "services/analytics/domain/day_kinds.h"

namespace complaints::analytics {

struct AnalyticsRunOptions {
  RuntimeOptions runtime = {};
  absl::TimeZone zone = {};  // the centre's
  DayKinds calendar;         // the centre's business calendar
  absl::Duration refresh_interval = absl::Minutes(1);
  // Signs the sign-in tokens IssueToken gives; nullopt: no tokens.
  std::optional<NamedKey> token_key = std::nullopt;
  // host:port of the HTTP/JSON API (needs token_key); empty: none.
  std::string http_listen = "";
  std::string dashboard_dir = "";  // served under /dashboard/; empty: none
};

// The process's exit code.
int RunAnalytics(AnalyticsRunOptions options);

}  // namespace complaints::analytics
