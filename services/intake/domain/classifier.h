#pragma once
// §2.3 classification and priority. The first category rule with a keyword in
// the normalised content and description names the category and complexity;
// the urgency is the highest among all matching rules, so a safety hazard
// anywhere in the text wins; the impact scope is the caller's, else the first
// matching scope rule's, else read from the location; the priority is the
// matrix cell of scope x urgency. The decision names the category rule and
// explains itself. Immutable, thread-safe.

#include <map>
#include <set>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/intake.pb.h"

namespace complaints::intake {

class Classifier {
 public:
  // INVALID_ARGUMENT naming the field path (e.g. "rules[2].keywords") of a bad rule.
  static absl::StatusOr<Classifier> Create(v1::ClassificationRules rules);

  v1::ComplaintClassified Classify(const v1::SubmitComplaintRequest& request) const;

  // The priority of a scope x urgency cell.
  v1::Priority PriorityOf(v1::ImpactScope scope, v1::Urgency urgency) const;

  // Every category a rule or the default names.
  const std::set<std::string>& categories() const { return categories_; }

 private:
  explicit Classifier(v1::ClassificationRules rules) : rules_(std::move(rules)) {}
  v1::ImpactScope ScopeOf(const v1::SubmitComplaintRequest& request, const std::string& text,
                          std::string* source) const;

  v1::ClassificationRules rules_;  // keywords stored normalised
  std::map<std::pair<int, int>, v1::Priority> matrix_;
  std::set<std::string> categories_;
};

}  // namespace complaints::intake
