#pragma once
// A §3.2 policy book for tracking tests.

#include "complaints/v1/config.pb.h"
#include "libs/core/config.h"

namespace complaints::tracking {

inline v1::DeadlinePolicies TestPolicies() {
  v1::DeadlinePolicies policies;
  (void)ParseTextProto("test", R"pb(
    policies { id: "p1" version: 1 priority: PRIORITY_P1 respond_within_minutes: 15 resolve_within_minutes: 240 }
    policies { id: "p2" version: 1 priority: PRIORITY_P2 respond_within_minutes: 60 resolve_within_minutes: 1440 }
    policies { id: "p3" version: 2 priority: PRIORITY_P3 respond_within_minutes: 240 resolve_within_minutes: 4320 }
    policies { id: "p4" version: 1 priority: PRIORITY_P4 respond_within_minutes: 1440 resolve_within_minutes: 10080 }
  )pb", &policies);
  return policies;
}

}  // namespace complaints::tracking
