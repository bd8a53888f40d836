#pragma once
// §2.3 classification and priority: the first rule with a keyword found in the
// normalised content and description decides category and priority; the
// decision names the rule and the keywords that matched. Immutable, thread-safe.

#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/events.pb.h"

namespace complaints::intake {

class Classifier {
 public:
  // INVALID_ARGUMENT naming the field path (e.g. "rules[2].keywords") of a bad rule.
  static absl::StatusOr<Classifier> Create(v1::ClassificationRules rules);

  v1::ComplaintClassified Classify(absl::string_view content, absl::string_view description) const;

 private:
  explicit Classifier(v1::ClassificationRules rules) : rules_(std::move(rules)) {}
  v1::ClassificationRules rules_;  // keywords stored normalised
};

}  // namespace complaints::intake
