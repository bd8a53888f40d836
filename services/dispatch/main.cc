// dispatch: routes classified complaints to departments (§3.1). Flags -> options -> run.
#include "absl/flags/flag.h"
#include "libs/core/config.h"
#include "libs/server/main_helpers.h"
#include "libs/server/service_flags.h"
#include "services/dispatch/app/dispatch_run.h"

int main(int argc, char** argv) {
  using namespace complaints;
  auto begun = BeginService(argc, argv, "dispatch");
  if (!begun.ok()) return Fail("dispatch", begun.status());
  auto router = LoadChecked<v1::RoutingRules>(
      absl::GetFlag(FLAGS_config_dir) + "/routing.textproto",
      [](v1::RoutingRules rules) { return dispatch::Router::Create(std::move(rules)); });
  if (!router.ok()) return Fail("dispatch", router.status());
  return dispatch::RunDispatch({.runtime = *std::move(begun),
                                .router = &*router,
                                .key_retention = absl::GetFlag(FLAGS_key_retention)});
}
