#pragma once
// §3.1 routing: the first rule matching the complaint's category, priority and
// community names the responsible department, skipping departments that have
// rejected it; the decision records the rule and a readable reason. Also
// holds the departments' handler pools and the hop limit. Immutable, thread-safe.

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/events.pb.h"

namespace complaints::dispatch {

struct RouteQuery {
  std::string category;
  v1::Priority priority = v1::PRIORITY_UNSPECIFIED;
  std::string community;
  std::set<std::string> excluded;  // departments that rejected the complaint
};

class Router {
 public:
  // INVALID_ARGUMENT naming the field path of a bad rule or pool.
  static absl::StatusOr<Router> Create(v1::RoutingRules rules);

  // Department, rule and reason (handler and strategy are left to the pool).
  v1::ComplaintAssigned Route(const RouteQuery& query) const;

  // True when `rule` names a pinning rule: it wins over the learned model.
  bool IsPinned(const v1::RuleRef& rule) const;
  // The calibrated confidence at which the learned model's answer is taken.
  double min_confidence() const;

  // The pool of `department`, or nullptr when it has none.
  const v1::HandlerPool* PoolOf(const std::string& department) const;
  bool IsDepartment(const std::string& department) const;
  const v1::RoutingRules& rules() const { return rules_; }

 private:
  explicit Router(v1::RoutingRules rules) : rules_(std::move(rules)) {}
  v1::RoutingRules rules_;
  std::set<std::string> departments_;
};

}  // namespace complaints::dispatch
