// dispatch: routes classified complaints to departments (§3.1). Flags -> options -> run.
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/core/log.h"
#include "libs/eventlog/topics.h"
#include "libs/server/main_helpers.h"
#include "libs/server/service_flags.h"
#include "libs/server/signals.h"
#include "services/dispatch/app/dispatch_app.h"

int main(int argc, char** argv) {
  using namespace complaints;
  BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  InitLogging("dispatch");
  RuntimeOptions options = RuntimeOptionsFromFlags("dispatch");
  if (options.data_dir.empty()) return Fail("dispatch", absl::InvalidArgumentError("--data_dir is required"));
  options.consume = {std::string(topics::kIntake)};

  auto rules = LoadTextProto<v1::RoutingRules>(absl::GetFlag(FLAGS_config_dir) + "/routing.textproto");
  if (!rules.ok()) return Fail("dispatch", rules.status());
  auto router = dispatch::Router::Create(*std::move(rules));
  if (!router.ok()) return Fail("dispatch", router.status());
  auto runtime = ServiceRuntime::Open(options);
  if (!runtime.ok()) return Fail("dispatch", runtime.status());

  dispatch::DispatchApp app({.store = (*runtime)->store(),
                             .outbox = (*runtime)->outbox(),
                             .clock = SystemClock::Default(),
                             .router = &*router});
  absl::Status status = (*runtime)->Serve(
      {}, [&app](const std::vector<ConsumedRecord>& records) { return app.Apply(records); });
  if (!status.ok()) return Fail("dispatch", status);
  (*runtime)->RunUntilSignalled();
  return 0;
}
