#pragma once
// Tracking as a process: its store and runtime opened, its consumers (intake,
// dispatch, analytics and its own topic) and timers (due deadlines, key
// expiry) wired, served until signalled. main.cc only turns flags and the
// configuration files into these options.

#include "libs/server/runtime.h"
#include "services/tracking/domain/business_calendar.h"
#include "services/tracking/domain/notifier.h"
#include "services/tracking/domain/sla_policy.h"

namespace complaints::tracking {

struct TrackingRunOptions {
  RuntimeOptions runtime = {};
  const SlaBook* sla = nullptr;
  const BusinessCalendar* calendar = nullptr;
  v1::HandlingPolicy handling = {};
  const Notifier* notifier = nullptr;
  absl::Duration key_retention = absl::Hours(24 * 30);
};

// The process's exit code.
int RunTracking(TrackingRunOptions options);

}  // namespace complaints::tracking
