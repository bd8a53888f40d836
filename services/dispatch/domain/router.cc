#include "services/dispatch/domain/router.h"

#include <algorithm>

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

absl::Status CheckPools(const v1::RoutingRules& rules) {
  std::set<std::string> departments, handlers;
  for (int i = 0; i < rules.pools_size(); ++i) {
    const v1::HandlerPool& pool = rules.pools(i);
    const std::string path = absl::StrCat("pools[", i, "]");
    if (pool.department().empty()) return Invalid(path + ".department", "required");
    if (!departments.insert(pool.department()).second) {
      return Invalid(path + ".department", "a second pool for " + pool.department());
    }
    if (pool.strategy() == v1::ASSIGNMENT_STRATEGY_UNSPECIFIED ||
        !v1::AssignmentStrategy_IsValid(pool.strategy())) {
      return Invalid(path + ".strategy", "round robin, least loaded or skill match");
    }
    for (int h = 0; h < pool.handlers_size(); ++h) {
      const v1::Handler& handler = pool.handlers(h);
      const std::string at = absl::StrCat(path, ".handlers[", h, "]");
      if (handler.id().empty()) return Invalid(at + ".id", "required");
      if (!handlers.insert(handler.id()).second)
        return Invalid(at + ".id", "duplicate id " + handler.id());
      if (handler.capacity() < 0) return Invalid(at + ".capacity", "must not be negative");
    }
  }
  return absl::OkStatus();
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
    if (!v1::Priority_IsValid(rule.priority()))
      return Invalid(path + ".priority", "unknown priority");
  }
  if (rules.learned().min_confidence() < 0 || rules.learned().min_confidence() > 1) {
    return Invalid("learned.min_confidence", "between 0 and 1");
  }
  if (rules.learned().min_cases() < 0) return Invalid("learned.min_cases", "must not be negative");
  if (rules.fallback_department().empty()) return Invalid("fallback_department", "required");
  if (rules.fallback_rule().id().empty()) return Invalid("fallback_rule.id", "required");
  if (rules.max_hops() < 1) return Invalid("max_hops", "must be at least 1");
  if (rules.duty_supervisor_department().empty())
    return Invalid("duty_supervisor_department", "required");
  if (absl::Status status = CheckPools(rules); !status.ok()) return status;
  Router router(std::move(rules));
  for (const v1::RoutingRule& rule : router.rules_.rules())
    router.departments_.insert(rule.department());
  for (const v1::HandlerPool& pool : router.rules_.pools())
    router.departments_.insert(pool.department());
  router.departments_.insert(router.rules_.fallback_department());
  router.departments_.insert(router.rules_.duty_supervisor_department());
  return router;
}

v1::ComplaintAssigned Router::Route(const RouteQuery& query) const {
  v1::ComplaintAssigned assigned;
  for (const v1::RoutingRule& rule : rules_.rules()) {
    const bool category = rule.category().empty() || rule.category() == query.category;
    const bool priority =
        rule.priority() == v1::PRIORITY_UNSPECIFIED || rule.priority() == query.priority;
    const bool community = rule.communities().empty() ||
                           std::find(rule.communities().begin(), rule.communities().end(),
                                     query.community) != rule.communities().end();
    if (!category || !priority || !community || query.excluded.count(rule.department())) continue;
    assigned.set_department(rule.department());
    assigned.set_reason(absl::StrCat(
        "category ", query.category, " at ", PriorityLabel(query.priority),
        rule.communities().empty() ? "" : absl::StrCat(" in ", query.community), " is handled by ",
        rule.department(), " (rule ", rule.id(), " v", rule.version(), ")"));
    assigned.mutable_rule()->set_id(rule.id());
    assigned.mutable_rule()->set_version(rule.version());
    return assigned;
  }
  assigned.set_department(rules_.fallback_department());
  assigned.set_reason(absl::StrCat("no routing rule for category ", query.category, " at ",
                                   PriorityLabel(query.priority),
                                   query.excluded.empty() ? "" : " that has not rejected it",
                                   "; sent to ", rules_.fallback_department()));
  *assigned.mutable_rule() = rules_.fallback_rule();
  return assigned;
}

bool Router::IsPinned(const v1::RuleRef& rule) const {
  for (const v1::RoutingRule& configured : rules_.rules()) {
    if (configured.id() == rule.id()) return configured.pin();
  }
  return false;
}

double Router::min_confidence() const {
  const double configured = rules_.learned().min_confidence();
  return configured > 0 ? configured : 0.8;
}

const v1::HandlerPool* Router::PoolOf(const std::string& department) const {
  for (const v1::HandlerPool& pool : rules_.pools()) {
    if (pool.department() == department) return &pool;
  }
  return nullptr;
}

bool Router::IsDepartment(const std::string& department) const {
  return departments_.count(department) > 0;
}

}  // namespace complaints::dispatch
