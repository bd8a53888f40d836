#pragma once
// Dispatch as a process: its store and runtime opened, its routing models
// loaded (fastText's scratch folder beside the store), its consumers
// (intake, tracking, analytics and its own topic) and key expiry wired,
// served until signalled. main.cc only turns flags and the routing rules
// into these options.

#include "libs/server/runtime.h"
#include "services/dispatch/domain/router.h"

namespace complaints::dispatch {

struct DispatchRunOptions {
  RuntimeOptions runtime = {};
  const Router* router = nullptr;
  absl::Duration key_retention = absl::Hours(24 * 30);
};

// The process's exit code.
int RunDispatch(DispatchRunOptions options);

}  // namespace complaints::dispatch
