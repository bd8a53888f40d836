#pragma once
// A small §2.3 rule set for intake tests.

#include "complaints/v1/config.pb.h"
#include "libs/core/config.h"

namespace complaints::intake {

inline v1::ClassificationRules TestRules() {
  v1::ClassificationRules rules;
  (void)ParseTextProto(
      "test", R"pb(
        rules {
          id: "safety.elevator-trapped"
          version: 3
          keywords: [ "电梯困人", "trapped in elevator", "trapped in lift" ]
          category: "safety"
          urgency: URGENCY_CRITICAL
          complexity: COMPLEXITY_ORDINARY
          life_safety: true
          patterns {
            all_of { any_of: [ "电梯", "lift" ] }
            all_of { any_of: [ "被困", "出不来", "stuck" ] }
            within: 20
          }
          near_terms: [ "救命", "can't get out" ]
        }
        rules {
          id: "plumbing.leak"
          version: 1
          keywords: [ "漏水", "water leak", "leaking" ]
          category: "plumbing"
          urgency: URGENCY_HIGH
          complexity: COMPLEXITY_ORDINARY
        }
        rules {
          id: "noise"
          version: 1
          keywords: [ "噪音", "noise" ]
          category: "noise"
          urgency: URGENCY_NORMAL
          complexity: COMPLEXITY_SIMPLE
        }
        rules {
          id: "urgency.emergency"
          version: 1
          keywords: [ "紧急", "emergency" ]
          urgency: URGENCY_HIGH
          urgency_only: true
        }
        possible_life_safety_priority: PRIORITY_P2
        default_category: "general"
        default_urgency: URGENCY_LOW
        default_complexity: COMPLEXITY_SIMPLE
        default_rule { id: "default" version: 1 }
        scope_rules {
          id: "scope.building"
          version: 1
          scope: IMPACT_SCOPE_BUILDING
          keywords: [ "整栋", "whole building" ]
        }
        priority_matrix { scope: IMPACT_SCOPE_HOUSEHOLD urgency: URGENCY_LOW priority: PRIORITY_P4 }
        priority_matrix {
          scope: IMPACT_SCOPE_HOUSEHOLD
          urgency: URGENCY_NORMAL
          priority: PRIORITY_P3
        }
        priority_matrix {
          scope: IMPACT_SCOPE_HOUSEHOLD
          urgency: URGENCY_HIGH
          priority: PRIORITY_P2
        }
        priority_matrix {
          scope: IMPACT_SCOPE_HOUSEHOLD
          urgency: URGENCY_CRITICAL
          priority: PRIORITY_P1
        }
        priority_matrix { scope: IMPACT_SCOPE_BUILDING urgency: URGENCY_LOW priority: PRIORITY_P3 }
        priority_matrix {
          scope: IMPACT_SCOPE_BUILDING
          urgency: URGENCY_NORMAL
          priority: PRIORITY_P2
        }
        priority_matrix { scope: IMPACT_SCOPE_BUILDING urgency: URGENCY_HIGH priority: PRIORITY_P2 }
        priority_matrix {
          scope: IMPACT_SCOPE_BUILDING
          urgency: URGENCY_CRITICAL
          priority: PRIORITY_P1
        }
        priority_matrix { scope: IMPACT_SCOPE_COMMUNITY urgency: URGENCY_LOW priority: PRIORITY_P3 }
        priority_matrix {
          scope: IMPACT_SCOPE_COMMUNITY
          urgency: URGENCY_NORMAL
          priority: PRIORITY_P2
        }
        priority_matrix {
          scope: IMPACT_SCOPE_COMMUNITY
          urgency: URGENCY_HIGH
          priority: PRIORITY_P1
        }
        priority_matrix {
          scope: IMPACT_SCOPE_COMMUNITY
          urgency: URGENCY_CRITICAL
          priority: PRIORITY_P1
        }
        priority_matrix {
          scope: IMPACT_SCOPE_PUBLIC_SAFETY
          urgency: URGENCY_LOW
          priority: PRIORITY_P2
        }
        priority_matrix {
          scope: IMPACT_SCOPE_PUBLIC_SAFETY
          urgency: URGENCY_NORMAL
          priority: PRIORITY_P1
        }
        priority_matrix {
          scope: IMPACT_SCOPE_PUBLIC_SAFETY
          urgency: URGENCY_HIGH
          priority: PRIORITY_P1
        }
        priority_matrix {
          scope: IMPACT_SCOPE_PUBLIC_SAFETY
          urgency: URGENCY_CRITICAL
          priority: PRIORITY_P1
        }
      )pb",
      &rules);
  return rules;
}

// A submission located in one flat, so its scope is a household unless the text says otherwise.
inline v1::SubmitComplaintRequest InFlat(const std::string& content,
                                         const std::string& description = "") {
  v1::SubmitComplaintRequest request;
  request.set_content(content);
  request.set_description(description);
  request.mutable_location()->set_community("阳光花园");
  request.mutable_location()->set_building("3");
  request.mutable_location()->set_unit("1202");
  return request;
}

}  // namespace complaints::intake
