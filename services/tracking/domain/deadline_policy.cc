#include "services/tracking/domain/deadline_policy.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "libs/core/time_util.h"

namespace complaints::tracking {
namespace {

absl::Status Invalid(absl::string_view path, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", reason));
}

}  // namespace

absl::StatusOr<DeadlinePolicyBook> DeadlinePolicyBook::Create(v1::DeadlinePolicies policies) {
  std::set<v1::Priority> covered;
  for (int i = 0; i < policies.policies_size(); ++i) {
    const v1::DeadlinePolicy& policy = policies.policies(i);
    const std::string path = absl::StrCat("policies[", i, "]");
    if (policy.id().empty()) return Invalid(path + ".id", "required");
    if (policy.version() < 1) return Invalid(path + ".version", "must be at least 1");
    if (policy.priority() < v1::PRIORITY_P1 || policy.priority() > v1::PRIORITY_P4) {
      return Invalid(path + ".priority", "must be P1 to P4");
    }
    if (!covered.insert(policy.priority()).second) {
      return Invalid(path + ".priority", "a second policy for the same priority");
    }
    if (policy.respond_within_minutes() <= 0) {
      return Invalid(path + ".respond_within_minutes", "must be positive");
    }
    if (policy.resolve_within_minutes() < policy.respond_within_minutes()) {
      return Invalid(path + ".resolve_within_minutes", "must not be shorter than respond_within_minutes");
    }
  }
  for (v1::Priority priority : {v1::PRIORITY_P1, v1::PRIORITY_P2, v1::PRIORITY_P3, v1::PRIORITY_P4}) {
    if (!covered.count(priority)) {
      return Invalid("policies", absl::StrCat("no policy for ", v1::Priority_Name(priority)));
    }
  }
  return DeadlinePolicyBook(std::move(policies));
}

absl::StatusOr<v1::DeadlinesSet> DeadlinePolicyBook::For(v1::Priority priority,
                                                         absl::Time received_at) const {
  for (const v1::DeadlinePolicy& policy : policies_.policies()) {
    if (policy.priority() != priority) continue;
    v1::DeadlinesSet deadlines;
    *deadlines.mutable_respond_by() =
        ToProto(received_at + absl::Minutes(policy.respond_within_minutes()));
    *deadlines.mutable_resolve_by() =
        ToProto(received_at + absl::Minutes(policy.resolve_within_minutes()));
    deadlines.mutable_policy()->set_id(policy.id());
    deadlines.mutable_policy()->set_version(policy.version());
    return deadlines;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("priority: no deadline policy for ", v1::Priority_Name(priority)));
}

}  // namespace complaints::tracking
