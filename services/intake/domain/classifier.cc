#include "services/intake/domain/classifier.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "libs/core/text.h"

namespace complaints::intake {
namespace {

absl::Status Invalid(absl::string_view path, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", reason));
}

bool ValidPriority(v1::Priority priority) {
  return priority >= v1::PRIORITY_P1 && priority <= v1::PRIORITY_P4;
}

}  // namespace

absl::StatusOr<Classifier> Classifier::Create(v1::ClassificationRules rules) {
  std::set<std::string> ids;
  for (int i = 0; i < rules.rules_size(); ++i) {
    v1::ClassificationRule& rule = *rules.mutable_rules(i);
    const std::string path = absl::StrCat("rules[", i, "]");
    if (rule.id().empty()) return Invalid(path + ".id", "required");
    if (!ids.insert(rule.id()).second) return Invalid(path + ".id", "duplicate id " + rule.id());
    if (rule.version() < 1) return Invalid(path + ".version", "must be at least 1");
    if (rule.keywords().empty()) return Invalid(path + ".keywords", "at least one keyword");
    if (rule.category().empty()) return Invalid(path + ".category", "required");
    if (!ValidPriority(rule.priority())) return Invalid(path + ".priority", "must be P1 to P4");
    for (int k = 0; k < rule.keywords_size(); ++k) {
      std::string normalised = NormalizeForMatching(rule.keywords(k));
      if (normalised.empty()) return Invalid(absl::StrCat(path, ".keywords[", k, "]"), "empty");
      rule.set_keywords(k, std::move(normalised));
    }
  }
  if (rules.default_category().empty()) return Invalid("default_category", "required");
  if (!ValidPriority(rules.default_priority())) {
    return Invalid("default_priority", "must be P1 to P4");
  }
  if (rules.default_rule().id().empty()) return Invalid("default_rule.id", "required");
  return Classifier(std::move(rules));
}

v1::ComplaintClassified Classifier::Classify(absl::string_view content,
                                             absl::string_view description) const {
  const std::string text =
      absl::StrCat(NormalizeForMatching(content), "\n", NormalizeForMatching(description));
  v1::ComplaintClassified result;
  for (const v1::ClassificationRule& rule : rules_.rules()) {
    for (const std::string& keyword : rule.keywords()) {
      if (text.find(keyword) != std::string::npos) result.add_matched_keywords(keyword);
    }
    if (result.matched_keywords_size() > 0) {
      result.set_category(rule.category());
      result.set_priority(rule.priority());
      result.mutable_rule()->set_id(rule.id());
      result.mutable_rule()->set_version(rule.version());
      return result;
    }
  }
  result.set_category(rules_.default_category());
  result.set_priority(rules_.default_priority());
  *result.mutable_rule() = rules_.default_rule();
  return result;
}

}  // namespace complaints::intake
