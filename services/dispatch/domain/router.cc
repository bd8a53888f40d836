#include "services/dispatch/domain/router.h"

#include <set>

#include "absl/strings/str_cat.h"

namespace complaints::dispatch {
namespace {

absl::Status Invalid(absl::string_view path, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", reason));
}

std::string PriorityLabel(v1::Priority priority) {
  return priority == v1::PRIORITY_UNSPECIFIED ? "any priority"
                                              : absl::StrCat("P", static_cast<int>(priority));
}

}  // namespace

absl::StatusOr<Router> Router::Create(v1::RoutingRules rules) {
  std::set<std::string> ids;
  for (int i = 0; i < rules.rules_size(); ++i) {
    const v1::RoutingRule& rule = rules.rules(i);
    const std::string path = absl::StrCat("rules[", i, "]");
    if (rule.id().empty()) return Invalid(path + ".id", "required");
    if (!ids.insert(rule.id()).second) return Invalid(path + ".id", "duplicate id " + rule.id());
    if (rule.version() < 1) return Invalid(path + ".version", "must be at least 1");
    if (rule.department().empty()) return Invalid(path + ".department", "required");
    if (!v1::Priority_IsValid(rule.priority())) return Invalid(path + ".priority", "unknown priority");
  }
  if (rules.fallback_department().empty()) return Invalid("fallback_department", "required");
  if (rules.fallback_rule().id().empty()) return Invalid("fallback_rule.id", "required");
  return Router(std::move(rules));
}

v1::ComplaintAssigned Router::Route(const std::string& category, v1::Priority priority) const {
  v1::ComplaintAssigned assigned;
  for (const v1::RoutingRule& rule : rules_.rules()) {
    const bool category_matches = rule.category().empty() || rule.category() == category;
    const bool priority_matches =
        rule.priority() == v1::PRIORITY_UNSPECIFIED || rule.priority() == priority;
    if (category_matches && priority_matches) {
      assigned.set_department(rule.department());
      assigned.set_reason(absl::StrCat("category ", category, " at ", PriorityLabel(priority),
                                       " is handled by ", rule.department(), " (rule ", rule.id(),
                                       " v", rule.version(), ")"));
      assigned.mutable_rule()->set_id(rule.id());
      assigned.mutable_rule()->set_version(rule.version());
      return assigned;
    }
  }
  assigned.set_department(rules_.fallback_department());
  assigned.set_reason(absl::StrCat("no routing rule for category ", category, " at ",
                                   PriorityLabel(priority), "; sent to ",
                                   rules_.fallback_department()));
  *assigned.mutable_rule() = rules_.fallback_rule();
  return assigned;
}

}  // namespace complaints::dispatch
