#pragma once
// A small §3.1 routing table with handler pools for dispatch tests.

#include "complaints/v1/config.pb.h"
#include "libs/core/config.h"

namespace complaints::dispatch {

inline v1::RoutingRules TestRouting() {
  v1::RoutingRules rules;
  (void)ParseTextProto(
      "test", R"pb(
        rules {
          id: "safety-urgent"
          version: 2
          category: "safety"
          priority: PRIORITY_P1
          department: "security"
          pin: true
        }
        rules {
          id: "plumbing-lakeside"
          version: 1
          category: "plumbing"
          department: "contractor"
          communities: [ "Lakeside Court" ]
        }
        rules { id: "safety" version: 1 category: "safety" department: "engineering" }
        rules { id: "plumbing" version: 1 category: "plumbing" department: "engineering" }
        rules {
          id: "plumbing-backup"
          version: 1
          category: "plumbing"
          department: "customer-service"
        }
        fallback_department: "customer-service"
        fallback_rule { id: "fallback" version: 1 }
        max_hops: 3
        duty_supervisor_department: "duty-office"
        duty_supervisor: "duty.supervisor"
        pools {
          department: "engineering"
          strategy: ASSIGNMENT_STRATEGY_SKILL_MATCH
          handlers {
            id: "eng.zhang"
            skills: [ "plumbing" ]
            capacity: 2
          }
          handlers {
            id: "eng.li"
            skills: [ "electrical" ]
            capacity: 2
          }
        }
        pools {
          department: "security"
          strategy: ASSIGNMENT_STRATEGY_LEAST_LOADED
          handlers { id: "sec.chen" }
          handlers { id: "sec.liu" }
        }
        pools {
          department: "customer-service"
          strategy: ASSIGNMENT_STRATEGY_ROUND_ROBIN
          handlers { id: "cs.xu" }
          handlers { id: "cs.sun" }
          handlers { id: "cs.ma" }
        }
      )pb",
      &rules);
  return rules;
}

}  // namespace complaints::dispatch
