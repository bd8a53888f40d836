// analytics: aggregates for §5.1, never personal data. Flags -> options -> run.
#include "absl/flags/flag.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/core/log.h"
#include "libs/runner/topics.h"
#include "libs/security/token.h"
#include "libs/server/main_helpers.h"
#include "libs/server/service_flags.h"
#include "libs/server/status_http.h"
#include "services/analytics/app/analytics_families.h"
#include "services/analytics/app/analytics_http.h"
#include "services/analytics/app/analytics_service.h"

ABSL_FLAG(std::string, token_key_file, "",
          "the Ed25519 seed that signs the HTTP pages' sign-in tokens (IssueToken): one "
          "'<key id> <64 hex>' line; empty: analytics issues no tokens");

ABSL_FLAG(std::string, http_listen, "",
          "host:port of the analysts' HTTP/JSON API (GET /api/v1/…, sign-in tokens from "
          "IssueToken); empty: none. Needs --token_key_file");
ABSL_FLAG(std::string, dashboard_dir, "",
          "folder of the analysts' dashboard (the build's web/dashboard), served under "
          "/dashboard/ by --http_listen; empty: none");
ABSL_FLAG(absl::Duration, projection_refresh_interval, absl::Minutes(1),
          "how often the stored projections of the series events changed are recomputed");

int main(int argc, char** argv) {
  using namespace complaints;
  auto begun = BeginService(argc, argv, "analytics");
  if (!begun.ok()) return Fail("analytics", begun.status());
  RuntimeOptions options = *std::move(begun);
  // Analytics writes the incidents it detects (§3.1 / §5.1) to its own topic.
  options.own_topic = std::string(topics::kAnalytics);
  options.families = analytics::kFamilies;
  options.consume = {std::string(topics::kIntake), std::string(topics::kDispatch),
                     std::string(topics::kTracking), options.own_topic};
  const absl::TimeZone zone = *CentreZone();  // checked by BeginService
  // The centre's business calendar (tracking's deadlines use the same file):
  // its holidays and make-up working days shape the projections.
  auto calendar = LoadChecked<v1::BusinessCalendar>(
      absl::GetFlag(FLAGS_config_dir) + "/calendar.textproto",
      [](const v1::BusinessCalendar& config) { return analytics::DayKinds::From(config); });
  if (!calendar.ok()) return Fail("analytics", calendar.status());
  auto runtime = ServiceRuntime::Open(options);
  if (!runtime.ok()) return Fail("analytics", runtime.status());

  analytics::AnalyticsApp app(
      {.parts = (*runtime)->parts(), .zone = zone, .calendar = *std::move(calendar)});
  (*runtime)->Every(absl::GetFlag(FLAGS_projection_refresh_interval), [&app] {
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
  });
  std::unique_ptr<TokenIssuer> tokens;
  if (const std::string path = absl::GetFlag(FLAGS_token_key_file); !path.empty()) {
    absl::StatusOr<std::string> text = ReadFile(path);
    if (!text.ok()) return Fail("analytics", text.status());
    absl::StatusOr<NamedKey> key = ParseNamedKey(path, *text);
    if (!key.ok()) return Fail("analytics", key.status());
    tokens = std::make_unique<TokenIssuer>(*key, SystemClock::Default());
  }
  analytics::AnalyticsService service(&app, tokens.get());
  std::unique_ptr<analytics::AnalyticsHttp> http;
  if (const std::string listen = absl::GetFlag(FLAGS_http_listen); !listen.empty()) {
    absl::StatusOr<std::pair<std::string, int>> address = SplitHostPort("--http_listen", listen);
    if (!address.ok()) return Fail("analytics", address.status());
    if (tokens == nullptr) {
      return Fail("analytics",
                  absl::InvalidArgumentError(
                      "--http_listen needs --token_key_file to verify sign-in tokens"));
    }
    absl::StatusOr<std::unique_ptr<analytics::AnalyticsHttp>> started =
        analytics::AnalyticsHttp::Start(&app,
                                        {.host = address->first,
                                         .port = address->second,
                                         .token_keys = {{tokens->key_id(), tokens->public_key()}},
                                         .clock = SystemClock::Default(),
                                         .dashboard_dir = absl::GetFlag(FLAGS_dashboard_dir)});
    if (!started.ok()) return Fail("analytics", started.status());
    http = *std::move(started);
    log::Info("analytics: HTTP/JSON API on {}:{}", address->first, http->port());
  }
  absl::Status status = (*runtime)->Serve({&service}, &app.applier());
  if (!status.ok()) return Fail("analytics", status);
  return (*runtime)->RunUntilSignalled();
}
