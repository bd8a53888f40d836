#pragma once
// A small §3.1 routing table for dispatch tests.

#include "complaints/v1/config.pb.h"
#include "libs/core/config.h"

namespace complaints::dispatch {

inline v1::RoutingRules TestRouting() {
  v1::RoutingRules rules;
  (void)ParseTextProto("test", R"pb(
    rules { id: "safety-urgent" version: 2 category: "safety" priority: PRIORITY_P1 department: "security" }
    rules { id: "safety" version: 1 category: "safety" department: "engineering" }
    rules { id: "plumbing" version: 1 category: "plumbing" department: "engineering" }
    fallback_department: "customer-service"
    fallback_rule { id: "fallback" version: 1 }
  )pb", &rules);
  return rules;
}

}  // namespace complaints::dispatch
