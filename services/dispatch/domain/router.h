#pragma once
// §3.1 routing: the first rule matching the complaint's category and priority
// names the responsible department; the decision records the rule and a
// human-readable reason. Immutable, thread-safe.

#include "absl/status/statusor.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/events.pb.h"

namespace complaints::dispatch {

class Router {
 public:
  // INVALID_ARGUMENT naming the field path of a bad rule.
  static absl::StatusOr<Router> Create(v1::RoutingRules rules);

  v1::ComplaintAssigned Route(const std::string& category, v1::Priority priority) const;

 private:
  explicit Router(v1::RoutingRules rules) : rules_(std::move(rules)) {}
  v1::RoutingRules rules_;
};

}  // namespace complaints::dispatch
