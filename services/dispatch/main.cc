// dispatch: routes classified complaints to departments (§3.1). Flags -> options -> run.
#include <filesystem>

#include "absl/flags/flag.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/core/log.h"
#include "libs/runner/topics.h"
#include "libs/server/main_helpers.h"
#include "libs/server/service_flags.h"
#include "services/dispatch/app/dispatch_families.h"
#include "services/dispatch/app/dispatch_service.h"

int main(int argc, char** argv) {
  using namespace complaints;
  auto begun = BeginService(argc, argv, "dispatch");
  if (!begun.ok()) return Fail("dispatch", begun.status());
  RuntimeOptions options = *std::move(begun);
  options.own_topic = std::string(topics::kDispatch);
  options.families = dispatch::kFamilies;
  // Tracking's events free handlers (resolution) in the open-work projection;
  // analytics' put complaints into incidents (§3.1), shown on each assignment.
  options.consume = {std::string(topics::kIntake), options.own_topic,
                     std::string(topics::kTracking), std::string(topics::kAnalytics)};

  auto router = LoadChecked<v1::RoutingRules>(
      absl::GetFlag(FLAGS_config_dir) + "/routing.textproto",
      [](v1::RoutingRules rules) { return dispatch::Router::Create(std::move(rules)); });
  if (!router.ok()) return Fail("dispatch", router.status());
  auto runtime = ServiceRuntime::Open(options);
  if (!runtime.ok()) return Fail("dispatch", runtime.status());

  // fastText trains from files: they go beside the store (the only writable
  // place in a pod); what a training killed midway left behind goes now.
  const std::string scratch = absl::GetFlag(FLAGS_data_dir) + "/routing-scratch";
  std::error_code made;
  std::filesystem::remove_all(scratch, made);
  std::filesystem::create_directories(scratch, made);
  if (made) return Fail("dispatch", absl::InternalError(scratch + ": " + made.message()));
  dispatch::RoutingModels models((*runtime)->parts().store, (*runtime)->parts().clock, &*router,
                                 scratch);
  if (absl::Status loaded = models.LoadActive(); !loaded.ok()) {
    // Routing goes on by the rules; the operator sees why and trains again.
    log::Error("dispatch: the active routing model did not load: {}", loaded.ToString());
  }
  dispatch::DispatchApp app({.parts = (*runtime)->parts(),
                             .router = &*router,
                             .key_retention = absl::GetFlag(FLAGS_key_retention),
                             .models = &models});
  dispatch::DispatchService service(&app, &models);
  (*runtime)->Every(absl::Minutes(1), [&app] {
    absl::StatusOr<size_t> expired = app.ExpireKeys();
    if (!expired.ok())
      log::Warn("dispatch: expiring idempotency keys: {}", expired.status().ToString());
  });
  absl::Status status = (*runtime)->Serve({&service}, &app.applier());
  if (!status.ok()) return Fail("dispatch", status);
  return (*runtime)->RunUntilSignalled();
}
