#pragma once
// A small §2.3 rule set for intake tests.

#include "complaints/v1/config.pb.h"
#include "libs/core/config.h"

namespace complaints::intake {

inline v1::ClassificationRules TestRules() {
  v1::ClassificationRules rules;
  (void)ParseTextProto("test", R"pb(
    rules { id: "safety.elevator-trapped" version: 3 keywords: ["电梯困人", "trapped in elevator", "trapped in lift"]
            category: "safety" priority: PRIORITY_P1 }
    rules { id: "plumbing.leak" version: 1 keywords: ["漏水", "water leak", "leaking"]
            category: "plumbing" priority: PRIORITY_P2 }
    rules { id: "noise" version: 1 keywords: ["噪音", "noise"] category: "noise" priority: PRIORITY_P3 }
    default_category: "general"
    default_priority: PRIORITY_P4
    default_rule { id: "default" version: 1 }
  )pb", &rules);
  return rules;
}

}  // namespace complaints::intake
