#include "services/tracking/app/tracking_run.h"

#include "libs/core/log.h"
#include "libs/runner/topics.h"
#include "libs/server/main_helpers.h"
#include "services/tracking/app/tracking_families.h"
#include "services/tracking/app/tracking_service.h"

namespace complaints::tracking {

int RunTracking(TrackingRunOptions options) {
  RuntimeOptions& runtime_options = options.runtime;
  runtime_options.own_topic = std::string(topics::kTracking);
  runtime_options.families = kFamilies;
  // Analytics' incidents (§3.1) show on each complaint and let staff resolve them at once.
  runtime_options.consume = {std::string(topics::kIntake), std::string(topics::kDispatch),
                             runtime_options.own_topic, std::string(topics::kAnalytics)};
  auto runtime = ServiceRuntime::Open(runtime_options);
  if (!runtime.ok()) return Fail("tracking", runtime.status());
  ServiceRuntime& run = **runtime;
  auto app = TrackingApp::Create({.parts = run.parts(),
                                  .sla = options.sla,
                                  .calendar = options.calendar,
                                  .handling = options.handling,
                                  .key_retention = options.key_retention,
                                  .notifier = options.notifier});
  if (!app.ok()) return Fail("tracking", app.status());
  TrackingApp& tracking = **app;
  // Timers fire once the own topic is read back and the inputs far behind
  // are replayed: a rebuilt store must not fire again what the topic already
  // holds, nor a deadline whose complaint a later input closed.
  run.OnCaughtUp([&tracking] { tracking.SetFiring(true); });
  run.Schedule(tracking.TimerQueue());
  run.Every(absl::Milliseconds(200), [&tracking] {
    absl::StatusOr<size_t> fired = tracking.FireDueTimers();
    if (!fired.ok()) log::Warn("tracking: firing timers: {}", fired.status().ToString());
  });
  run.Every(absl::Minutes(1), [&tracking] {
    absl::StatusOr<size_t> expired = tracking.ExpireKeys();
    if (!expired.ok()) {
      log::Warn("tracking: expiring idempotency keys: {}", expired.status().ToString());
    }
  });
  TrackingService service(&tracking);
  if (absl::Status status = run.Serve({&service}, &tracking.applier()); !status.ok()) {
    return Fail("tracking", status);
  }
  return run.RunUntilSignalled();
}

}  // namespace complaints::tracking
