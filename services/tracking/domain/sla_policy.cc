#include "services/tracking/domain/sla_policy.h"

#include <set>

#include "absl/strings/str_cat.h"

namespace complaints::tracking {
namespace {

absl::Status Invalid(absl::string_view path, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", reason));
}

absl::Status CheckPolicy(const v1::SlaPolicy& policy, const std::string& path) {
  if (policy.id().empty()) return Invalid(path + ".id", "required");
  if (policy.version() < 1) return Invalid(path + ".version", "must be at least 1");
  if (policy.priority() < v1::PRIORITY_P1 || policy.priority() > v1::PRIORITY_P4) {
    return Invalid(path + ".priority", "must be P1 to P4");
  }
  if (policy.complexity() < v1::COMPLEXITY_SIMPLE || policy.complexity() > v1::COMPLEXITY_COMPLEX) {
    return Invalid(path + ".complexity", "must be simple, ordinary or complex");
  }
  std::set<int> targets;
  for (int i = 0; i < policy.limits_size(); ++i) {
    const v1::TargetLimit& limit = policy.limits(i);
    const std::string at = absl::StrCat(path, ".limits[", i, "]");
    if (limit.target() == v1::SLA_TARGET_UNSPECIFIED || !v1::SlaTarget_IsValid(limit.target())) {
      return Invalid(at + ".target", "required");
    }
    if (!targets.insert(limit.target()).second) return Invalid(at + ".target", "listed twice");
    if (limit.minutes() <= 0) return Invalid(at + ".minutes", "must be positive");
    if (limit.basis() == v1::TIME_BASIS_UNSPECIFIED || !v1::TimeBasis_IsValid(limit.basis())) {
      return Invalid(at + ".basis", "calendar or business");
    }
  }
  if (!targets.count(v1::SLA_TARGET_RESPOND) || !targets.count(v1::SLA_TARGET_RESOLVE)) {
    return Invalid(path + ".limits", "respond and resolve limits are required");
  }
  if (policy.warning_percent() < 1 || policy.warning_percent() > 99) {
    return Invalid(path + ".warning_percent", "must be 1 to 99");
  }
  for (int i = 0; i < policy.escalation_size(); ++i) {
    const v1::EscalationStep& step = policy.escalation(i);
    const std::string at = absl::StrCat(path, ".escalation[", i, "]");
    if (step.level() != i + 1) return Invalid(at + ".level", absl::StrCat("must be ", i + 1));
    if (step.role().empty()) return Invalid(at + ".role", "required");
    if (step.minutes_after_breach() < 0 ||
        (i > 0 && step.minutes_after_breach() <= policy.escalation(i - 1).minutes_after_breach())) {
      return Invalid(at + ".minutes_after_breach", "must grow with each level");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SlaBook> SlaBook::Create(v1::SlaPolicies policies) {
  std::set<std::pair<int, int>> covered;
  std::set<std::string> ids;
  for (int i = 0; i < policies.policies_size(); ++i) {
    const v1::SlaPolicy& policy = policies.policies(i);
    const std::string path = absl::StrCat("policies[", i, "]");
    if (absl::Status status = CheckPolicy(policy, path); !status.ok()) return status;
    if (!ids.insert(policy.id()).second)
      return Invalid(path + ".id", "duplicate id " + policy.id());
    if (!covered.insert({policy.priority(), policy.complexity()}).second) {
      return Invalid(path, "a second policy for the same priority and complexity");
    }
  }
  for (int priority = v1::PRIORITY_P1; priority <= v1::PRIORITY_P4; ++priority) {
    for (int complexity = v1::COMPLEXITY_SIMPLE; complexity <= v1::COMPLEXITY_COMPLEX;
         ++complexity) {
      if (!covered.count({priority, complexity})) {
        return Invalid(
            "policies",
            absl::StrCat("no policy for ", v1::Priority_Name(static_cast<v1::Priority>(priority)),
                         " x ", v1::Complexity_Name(static_cast<v1::Complexity>(complexity))));
      }
    }
  }
  return SlaBook(std::move(policies));
}

absl::StatusOr<const v1::SlaPolicy*> SlaBook::Find(v1::Priority priority,
                                                   v1::Complexity complexity) const {
  for (const v1::SlaPolicy& policy : policies_.policies()) {
    if (policy.priority() == priority && policy.complexity() == complexity) return &policy;
  }
  return absl::InvalidArgumentError(absl::StrCat("no SLA policy for ", v1::Priority_Name(priority),
                                                 " x ", v1::Complexity_Name(complexity)));
}

const v1::TargetLimit* LimitOf(const v1::SlaPolicy& policy, v1::SlaTarget target) {
  for (const v1::TargetLimit& limit : policy.limits()) {
    if (limit.target() == target) return &limit;
  }
  return nullptr;
}

}  // namespace complaints::tracking
