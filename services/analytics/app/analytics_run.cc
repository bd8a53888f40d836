#include "services/analytics/app/analytics_run.h"

#include <memory>

#include "libs/core/log.h"
#include "libs/runner/topics.h"
#include "libs/security/token.h"
#include "libs/server/main_helpers.h"
#include "libs/server/status_http.h"
#include "services/analytics/app/analytics_families.h"
#include "services/analytics/app/analytics_http.h"
#include "services/analytics/app/analytics_service.h"
#include "services/analytics/app/category_days.h"

namespace complaints::analytics {
namespace {

// Recomputes the stored projections of the series that changed, then the
// reports that fell due.
void Refresh(AnalyticsApp& app) {
  absl::StatusOr<int> refreshed = app.RefreshProjections();
  if (!refreshed.ok()) {
    log::Error("analytics: refreshing projections failed: {}", refreshed.status().ToString());
  } else if (*refreshed > 0) {
    log::Info("analytics: {} projections refreshed", *refreshed);
  }
  absl::StatusOr<int> reported = app.GenerateReports();
  if (!reported.ok()) {
    log::Error("analytics: generating reports failed: {}", reported.status().ToString());
  } else if (*reported > 0) {
    log::Info("analytics: {} reports stored", *reported);
  }
}

}  // namespace

int RunAnalytics(AnalyticsRunOptions options) {
  RuntimeOptions& runtime_options = options.runtime;
  // Analytics writes the incidents it detects (§3.1 / §5.1) to its own topic.
  runtime_options.own_topic = std::string(topics::kAnalytics);
  runtime_options.families = kFamilies;
  runtime_options.consume = {std::string(topics::kIntake), std::string(topics::kDispatch),
                             std::string(topics::kTracking), runtime_options.own_topic};
  if (!options.http_listen.empty() && !options.token_key.has_value()) {
    return Fail("analytics", absl::InvalidArgumentError(
                                 "--http_listen needs --token_key_file to verify sign-in tokens"));
  }
  absl::StatusOr<std::pair<std::string, int>> address;
  if (!options.http_listen.empty()) {
    address = SplitHostPort("--http_listen", options.http_listen);
    if (!address.ok()) return Fail("analytics", address.status());
  }
  auto runtime = ServiceRuntime::Open(runtime_options);
  if (!runtime.ok()) return Fail("analytics", runtime.status());
  ServiceRuntime& run = **runtime;
  // Before anything is consumed: the incident baselines' counts of a store
  // an earlier release wrote.
  if (absl::Status prepared = PrepareCategoryDays(*run.parts().store); !prepared.ok()) {
    return Fail("analytics", prepared);
  }
  AnalyticsApp app(
      {.parts = run.parts(), .zone = options.zone, .calendar = std::move(options.calendar)});
  run.Every(options.refresh_interval, [&app] { Refresh(app); });
  std::unique_ptr<TokenIssuer> tokens;
  if (options.token_key.has_value()) {
    tokens = std::make_unique<TokenIssuer>(*options.token_key, run.clock());
  }
  AnalyticsService service(&app, tokens.get());
  std::unique_ptr<AnalyticsHttp> http;
  if (!options.http_listen.empty()) {
    absl::StatusOr<std::unique_ptr<AnalyticsHttp>> started =
        AnalyticsHttp::Start(&app, {.host = address->first,
                                    .port = address->second,
                                    .token_keys = {{tokens->key_id(), tokens->public_key()}},
                                    .clock = run.clock(),
                                    .dashboard_dir = options.dashboard_dir});
    if (!started.ok()) return Fail("analytics", started.status());
    http = *std::move(started);
    log::Info("analytics: HTTP/JSON API on {}:{}", address->first, http->port());
  }
  if (absl::Status status = run.Serve({&service}, &app.applier()); !status.ok()) {
    return Fail("analytics", status);
  }
  return run.RunUntilSignalled();
}

}  // namespace complaints::analytics
