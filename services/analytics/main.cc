// analytics: aggregates for §5.1, never personal data. Flags -> options -> run.
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "libs/core/log.h"
#include "libs/eventlog/topics.h"
#include "libs/server/main_helpers.h"
#include "libs/server/service_flags.h"
#include "libs/server/signals.h"
#include "services/analytics/app/analytics_service.h"

int main(int argc, char** argv) {
  using namespace complaints;
  BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  InitLogging("analytics");
  RuntimeOptions options = RuntimeOptionsFromFlags("analytics");
  if (options.data_dir.empty()) return Fail("analytics", absl::InvalidArgumentError("--data_dir is required"));
  options.consume = {std::string(topics::kIntake), std::string(topics::kDispatch),
                     std::string(topics::kTracking)};
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(absl::GetFlag(FLAGS_time_zone), &zone)) {
    return Fail("analytics", absl::InvalidArgumentError("--time_zone: unknown zone " +
                                                        absl::GetFlag(FLAGS_time_zone)));
  }
  auto runtime = ServiceRuntime::Open(options);
  if (!runtime.ok()) return Fail("analytics", runtime.status());

  analytics::AnalyticsApp app({.store = (*runtime)->store(), .outbox = (*runtime)->outbox(), .zone = zone});
  analytics::AnalyticsService service(&app);
  absl::Status status = (*runtime)->Serve(
      {&service}, [&app](const std::vector<ConsumedRecord>& records) { return app.Apply(records); });
  if (!status.ok()) return Fail("analytics", status);
  (*runtime)->RunUntilSignalled();
  return 0;
}
