#include "services/intake/domain/classifier.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/core/text.h"

namespace complaints::intake {
namespace {

absl::Status Invalid(absl::string_view path, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", reason));
}

bool ValidUrgency(v1::Urgency urgency) {
  return urgency >= v1::URGENCY_LOW && urgency <= v1::URGENCY_CRITICAL;
}
bool ValidComplexity(v1::Complexity complexity) {
  return complexity >= v1::COMPLEXITY_SIMPLE && complexity <= v1::COMPLEXITY_COMPLEX;
}
bool ValidScope(v1::ImpactScope scope) {
  return scope >= v1::IMPACT_SCOPE_HOUSEHOLD && scope <= v1::IMPACT_SCOPE_PUBLIC_SAFETY;
}
bool Blank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

// Normalises the keywords in place; INVALID_ARGUMENT for none or an empty one.
absl::Status PrepareKeywords(const std::string& path,
                             google::protobuf::RepeatedPtrField<std::string>* keywords) {
  if (keywords->empty()) return Invalid(path, "at least one keyword");
  for (int k = 0; k < keywords->size(); ++k) {
    std::string normalised = NormalizeForMatching(keywords->Get(k));
    if (Blank(normalised)) return Invalid(absl::StrCat(path, "[", k, "]"), "empty");
    *keywords->Mutable(k) = std::move(normalised);
  }
  return absl::OkStatus();
}

std::string Short(const google::protobuf::EnumDescriptor* type, int value,
                  absl::string_view prefix) {
  std::string name = type->FindValueByNumber(value)->name().substr(prefix.size());
  return absl::AsciiStrToLower(name);
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
    if (rule.category().empty()) return Invalid(path + ".category", "required");
    if (!ValidUrgency(rule.urgency()))
      return Invalid(path + ".urgency", "low, normal, high or critical");
    if (!ValidComplexity(rule.complexity())) {
      return Invalid(path + ".complexity", "simple, ordinary or complex");
    }
    if (absl::Status s = PrepareKeywords(path + ".keywords", rule.mutable_keywords()); !s.ok())
      return s;
  }
  for (int i = 0; i < rules.scope_rules_size(); ++i) {
    v1::ScopeRule& rule = *rules.mutable_scope_rules(i);
    const std::string path = absl::StrCat("scope_rules[", i, "]");
    if (rule.id().empty()) return Invalid(path + ".id", "required");
    if (!ValidScope(rule.scope())) return Invalid(path + ".scope", "required");
    if (absl::Status s = PrepareKeywords(path + ".keywords", rule.mutable_keywords()); !s.ok())
      return s;
  }
  if (rules.default_category().empty()) return Invalid("default_category", "required");
  if (!ValidUrgency(rules.default_urgency())) return Invalid("default_urgency", "required");
  if (!ValidComplexity(rules.default_complexity()))
    return Invalid("default_complexity", "required");
  if (rules.default_rule().id().empty()) return Invalid("default_rule.id", "required");

  Classifier classifier(std::move(rules));
  for (int i = 0; i < classifier.rules_.priority_matrix_size(); ++i) {
    const v1::PriorityCell& cell = classifier.rules_.priority_matrix(i);
    const std::string path = absl::StrCat("priority_matrix[", i, "]");
    if (!ValidScope(cell.scope()) || !ValidUrgency(cell.urgency())) {
      return Invalid(path, "scope and urgency are required");
    }
    if (cell.priority() < v1::PRIORITY_P1 || cell.priority() > v1::PRIORITY_P4) {
      return Invalid(path + ".priority", "must be P1 to P4");
    }
    if (!classifier.matrix_.emplace(std::make_pair(cell.scope(), cell.urgency()), cell.priority())
             .second) {
      return Invalid(path, "a second cell for the same scope and urgency");
    }
  }
  if (classifier.matrix_.size() != 16) {
    return Invalid("priority_matrix", "needs all 16 cells of scope x urgency");
  }
  for (const v1::ClassificationRule& rule : classifier.rules_.rules()) {
    classifier.categories_.insert(rule.category());
  }
  classifier.categories_.insert(classifier.rules_.default_category());
  return classifier;
}

v1::Priority Classifier::PriorityOf(v1::ImpactScope scope, v1::Urgency urgency) const {
  auto it = matrix_.find({scope, urgency});
  return it == matrix_.end() ? v1::PRIORITY_P4 : it->second;
}

v1::ImpactScope Classifier::ScopeOf(const v1::SubmitComplaintRequest& request,
                                    const std::string& text, std::string* source) const {
  if (ValidScope(request.impact_scope())) {
    *source = "stated by the caller";
    return request.impact_scope();
  }
  for (const v1::ScopeRule& rule : rules_.scope_rules()) {
    for (const std::string& keyword : rule.keywords()) {
      if (text.find(keyword) != std::string::npos) {
        *source = absl::StrCat("rule ", rule.id(), " (", keyword, ")");
        return rule.scope();
      }
    }
  }
  const v1::Location& location = request.location();
  *source = "the location";
  if (!Blank(location.public_area())) return v1::IMPACT_SCOPE_COMMUNITY;
  if (!Blank(location.unit())) return v1::IMPACT_SCOPE_HOUSEHOLD;
  if (!Blank(location.building())) return v1::IMPACT_SCOPE_BUILDING;
  return v1::IMPACT_SCOPE_COMMUNITY;
}

v1::ComplaintClassified Classifier::Classify(const v1::SubmitComplaintRequest& request) const {
  const std::string text = absl::StrCat(NormalizeForMatching(request.content()), "\n",
                                        NormalizeForMatching(request.description()));
  v1::ComplaintClassified result;
  const v1::ClassificationRule* decided = nullptr;
  v1::Urgency urgency = v1::URGENCY_UNSPECIFIED;
  for (const v1::ClassificationRule& rule : rules_.rules()) {
    bool matched = false;
    for (const std::string& keyword : rule.keywords()) {
      if (text.find(keyword) == std::string::npos) continue;
      matched = true;
      if (decided == nullptr || decided == &rule) result.add_matched_keywords(keyword);
    }
    if (!matched) continue;
    if (decided == nullptr) decided = &rule;
    urgency = std::max(urgency, rule.urgency());
  }
  if (decided != nullptr) {
    result.set_category(decided->category());
    result.set_complexity(decided->complexity());
    result.mutable_rule()->set_id(decided->id());
    result.mutable_rule()->set_version(decided->version());
  } else {
    result.set_category(rules_.default_category());
    result.set_complexity(rules_.default_complexity());
    *result.mutable_rule() = rules_.default_rule();
    urgency = rules_.default_urgency();
  }
  std::string scope_source;
  const v1::ImpactScope scope = ScopeOf(request, text, &scope_source);
  result.set_impact_scope(scope);
  result.set_urgency(urgency);
  result.set_priority(PriorityOf(scope, urgency));
  result.set_explanation(absl::StrCat(
      "category ", result.category(), " by rule ", result.rule().id(), " v",
      result.rule().version(),
      result.matched_keywords().empty()
          ? ""
          : absl::StrCat(" (", absl::StrJoin(result.matched_keywords(), ", "), ")"),
      "; urgency ", Short(v1::Urgency_descriptor(), urgency, "URGENCY_"), "; scope ",
      Short(v1::ImpactScope_descriptor(), scope, "IMPACT_SCOPE_"), " from ", scope_source,
      "; priority P", static_cast<int>(result.priority()), " from the scope x urgency matrix"));
  return result;
}

}  // namespace complaints::intake
