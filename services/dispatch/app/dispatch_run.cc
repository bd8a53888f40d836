#include "services/dispatch/app/dispatch_run.h"

#include <filesystem>

#include "libs/core/log.h"
#include "libs/runner/topics.h"
#include "libs/server/main_helpers.h"
#include "services/dispatch/app/dispatch_families.h"
#include "services/dispatch/app/dispatch_service.h"

namespace complaints::dispatch {

int RunDispatch(DispatchRunOptions options) {
  RuntimeOptions& runtime_options = options.runtime;
  runtime_options.own_topic = std::string(topics::kDispatch);
  runtime_options.families = kFamilies;
  // Tracking's events free handlers (resolution) in the open-work projection;
  // analytics' put complaints into incidents (§3.1), shown on each assignment.
  runtime_options.consume = {std::string(topics::kIntake), runtime_options.own_topic,
                             std::string(topics::kTracking), std::string(topics::kAnalytics)};
  auto runtime = ServiceRuntime::Open(runtime_options);
  if (!runtime.ok()) return Fail("dispatch", runtime.status());
  ServiceRuntime& run = **runtime;
  // fastText trains from files: they go beside the store (the only writable
  // place in a pod); what a training killed midway left behind goes now.
  const std::string scratch = runtime_options.data_dir + "/routing-scratch";
  std::error_code made;
  std::filesystem::remove_all(scratch, made);
  std::filesystem::create_directories(scratch, made);
  if (made) return Fail("dispatch", absl::InternalError(scratch + ": " + made.message()));
  RoutingModels models(run.parts().store, run.parts().clock, options.router, scratch);
  if (absl::Status loaded = models.LoadActive(); !loaded.ok()) {
    // Routing goes on by the rules; the operator sees why and trains again.
    log::Error("dispatch: the active routing model did not load: {}", loaded.ToString());
  }
  DispatchApp app({.parts = run.parts(),
                   .router = options.router,
                   .key_retention = options.key_retention,
                   .models = &models});
  DispatchService service(&app, &models);
  run.Every(absl::Minutes(1), [&app] {
    absl::StatusOr<size_t> expired = app.ExpireKeys();
    if (!expired.ok()) {
      log::Warn("dispatch: expiring idempotency keys: {}", expired.status().ToString());
    }
  });
  if (absl::Status status = run.Serve({&service}, &app.applier()); !status.ok()) {
    return Fail("dispatch", status);
  }
  return run.RunUntilSignalled();
}

}  // namespace complaints::dispatch
