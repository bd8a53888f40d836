// analytics: aggregates for §5.1, never personal data. Flags -> options -> run.
#include <optional>

#include "absl/flags/flag.h"
#include "libs/core/config.h"
#include "libs/crypto/sealing.h"
#include "libs/server/main_helpers.h"
#include "libs/server/service_flags.h"
#include "services/analytics/app/analytics_run.h"

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
  // The centre's business calendar (tracking's deadlines use the same file):
  // its holidays and make-up working days shape the projections.
  auto calendar = LoadChecked<v1::BusinessCalendar>(
      absl::GetFlag(FLAGS_config_dir) + "/calendar.textproto",
      [](const v1::BusinessCalendar& config) { return analytics::DayKinds::From(config); });
  if (!calendar.ok()) return Fail("analytics", calendar.status());
  std::optional<NamedKey> token_key;
  if (const std::string path = absl::GetFlag(FLAGS_token_key_file); !path.empty()) {
    absl::StatusOr<std::string> text = ReadFile(path);
    if (!text.ok()) return Fail("analytics", text.status());
    absl::StatusOr<NamedKey> key = ParseNamedKey(path, *text);
    if (!key.ok()) return Fail("analytics", key.status());
    token_key = *std::move(key);
  }
  return analytics::RunAnalytics(
      {.runtime = *std::move(begun),
       .zone = *CentreZone(),  // checked by BeginService
       .calendar = *std::move(calendar),
       .refresh_interval = absl::GetFlag(FLAGS_projection_refresh_interval),
       .token_key = std::move(token_key),
       .http_listen = absl::GetFlag(FLAGS_http_listen),
       .dashboard_dir = absl::GetFlag(FLAGS_dashboard_dir)});
}
