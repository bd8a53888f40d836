#include "services/intake/domain/classifier.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/intake/domain/matching_text.h"

namespace complaints::intake {
namespace {

constexpr int kMaxWindow = 200;

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
bool ValidPriority(v1::Priority priority) {
  return priority >= v1::PRIORITY_P1 && priority <= v1::PRIORITY_P4;
}
bool Blank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

// INVALID_ARGUMENT for an empty list (when one is required) or a word that
// folds to nothing.
absl::Status CheckWords(const std::string& path,
                        const google::protobuf::RepeatedPtrField<std::string>& words,
                        bool required) {
  if (required && words.empty()) return Invalid(path, "at least one keyword");
  for (int k = 0; k < words.size(); ++k) {
    if (Term(words.Get(k)).empty()) return Invalid(absl::StrCat(path, "[", k, "]"), "empty");
  }
  return absl::OkStatus();
}

std::vector<Term> Terms(const google::protobuf::RepeatedPtrField<std::string>& words) {
  std::vector<Term> terms;
  terms.reserve(static_cast<size_t>(words.size()));
  for (const std::string& word : words) terms.emplace_back(word);
  return terms;
}

absl::Status CheckRule(const v1::ClassificationRule& rule, const std::string& path) {
  if (rule.id().empty()) return Invalid(path + ".id", "required");
  if (rule.version() < 1) return Invalid(path + ".version", "must be at least 1");
  if (rule.category().empty() && !rule.urgency_only())
    return Invalid(path + ".category", "required");
  if (!ValidUrgency(rule.urgency()))
    return Invalid(path + ".urgency", "low, normal, high or critical");
  if (!ValidComplexity(rule.complexity()) && !rule.urgency_only()) {
    return Invalid(path + ".complexity", "simple, ordinary or complex");
  }
  if (rule.life_safety() && rule.urgency_only()) {
    return Invalid(path + ".life_safety", "a life-safety rule names its category");
  }
  if (!rule.near_terms().empty() && !rule.life_safety()) {
    return Invalid(path + ".near_terms", "only for a life-safety rule");
  }
  if (absl::Status s = CheckWords(path + ".keywords", rule.keywords(), rule.patterns().empty());
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckWords(path + ".near_terms", rule.near_terms(), false); !s.ok())
    return s;
  for (int p = 0; p < rule.patterns_size(); ++p) {
    const v1::NearbyTerms& pattern = rule.patterns(p);
    const std::string at = absl::StrCat(path, ".patterns[", p, "]");
    if (pattern.all_of_size() < 2) return Invalid(at + ".all_of", "at least two sets of words");
    if (pattern.within() < 1 || pattern.within() > kMaxWindow) {
      return Invalid(at + ".within", absl::StrCat("1 to ", kMaxWindow, " characters"));
    }
    for (int t = 0; t < pattern.all_of_size(); ++t) {
      if (absl::Status s = CheckWords(absl::StrCat(at, ".all_of[", t, "].any_of"),
                                      pattern.all_of(t).any_of(), true);
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

std::string Short(const google::protobuf::EnumDescriptor* type, int value,
                  absl::string_view prefix) {
  std::string name = type->FindValueByNumber(value)->name().substr(prefix.size());
  return absl::AsciiStrToLower(name);
}

std::u32string Excerpt(const std::u32string& text, Span span) {
  return text.substr(span.begin, std::min<size_t>(span.end - span.begin, 40));
}

}  // namespace

absl::StatusOr<Classifier> Classifier::Create(v1::ClassificationRules rules) {
  std::set<std::string> ids;
  for (int i = 0; i < rules.rules_size(); ++i) {
    const std::string path = absl::StrCat("rules[", i, "]");
    if (absl::Status s = CheckRule(rules.rules(i), path); !s.ok()) return s;
    if (!ids.insert(rules.rules(i).id()).second) {
      return Invalid(path + ".id", "duplicate id " + rules.rules(i).id());
    }
  }
  for (int i = 0; i < rules.scope_rules_size(); ++i) {
    const v1::ScopeRule& rule = rules.scope_rules(i);
    const std::string path = absl::StrCat("scope_rules[", i, "]");
    if (rule.id().empty()) return Invalid(path + ".id", "required");
    if (!ValidScope(rule.scope())) return Invalid(path + ".scope", "required");
    if (absl::Status s = CheckWords(path + ".keywords", rule.keywords(), true); !s.ok()) return s;
  }
  if (rules.default_category().empty()) return Invalid("default_category", "required");
  if (!ValidUrgency(rules.default_urgency())) return Invalid("default_urgency", "required");
  if (!ValidComplexity(rules.default_complexity()))
    return Invalid("default_complexity", "required");
  if (rules.default_rule().id().empty()) return Invalid("default_rule.id", "required");
  if (rules.possible_life_safety_priority() != v1::PRIORITY_UNSPECIFIED &&
      !ValidPriority(rules.possible_life_safety_priority())) {
    return Invalid("possible_life_safety_priority", "must be P1 to P4");
  }

  Classifier classifier(std::move(rules));
  for (int i = 0; i < classifier.rules_.priority_matrix_size(); ++i) {
    const v1::PriorityCell& cell = classifier.rules_.priority_matrix(i);
    const std::string path = absl::StrCat("priority_matrix[", i, "]");
    if (!ValidScope(cell.scope()) || !ValidUrgency(cell.urgency())) {
      return Invalid(path, "scope and urgency are required");
    }
    if (!ValidPriority(cell.priority())) return Invalid(path + ".priority", "must be P1 to P4");
    if (!classifier.matrix_.emplace(std::make_pair(cell.scope(), cell.urgency()), cell.priority())
             .second) {
      return Invalid(path, "a second cell for the same scope and urgency");
    }
  }
  if (classifier.matrix_.size() != 16) {
    return Invalid("priority_matrix", "needs all 16 cells of scope x urgency");
  }
  classifier.Compile();
  return classifier;
}

void Classifier::Compile() {
  for (int i = 0; i < rules_.rules_size(); ++i) {
    const v1::ClassificationRule& rule = rules_.rules(i);
    CompiledRule compiled{i, Terms(rule.keywords()), {}, Terms(rule.near_terms())};
    for (const v1::NearbyTerms& pattern : rule.patterns()) {
      Pattern& p = compiled.patterns.emplace_back();
      p.within = static_cast<size_t>(pattern.within());
      for (const v1::TermSet& set : pattern.all_of()) p.sets.push_back(Terms(set.any_of()));
    }
    compiled_.push_back(std::move(compiled));
    if (!rule.urgency_only()) categories_.insert(rule.category());
  }
  for (const v1::ScopeRule& rule : rules_.scope_rules()) {
    scope_keywords_.push_back(Terms(rule.keywords()));
  }
  categories_.insert(rules_.default_category());
}

v1::Priority Classifier::PriorityOf(v1::ImpactScope scope, v1::Urgency urgency) const {
  auto it = matrix_.find({scope, urgency});
  return it == matrix_.end() ? v1::PRIORITY_P4 : it->second;
}

Classifier::Match Classifier::MatchRule(const CompiledRule& rule, const FoldedText& text) {
  Match match;
  for (const Term& keyword : rule.keywords) {
    if (!keyword.FoundIn(text)) continue;
    match.matched = true;
    match.words.push_back(keyword.written());
  }
  for (const Pattern& pattern : rule.patterns) {
    const Proximity found = FindTogether(pattern.sets, text, pattern.within);
    if (!found.within) continue;
    match.matched = true;
    match.words.push_back(Utf8(Excerpt(text.text(), found.span)));
  }
  return match;
}

std::string Classifier::NearLifeSafety(const FoldedText& text) const {
  for (const CompiledRule& compiled : compiled_) {
    const v1::ClassificationRule& rule = RuleOf(compiled);
    if (!rule.life_safety()) continue;
    for (const Pattern& pattern : compiled.patterns) {
      const Proximity found = FindTogether(pattern.sets, text, pattern.within);
      if (found.all_present) {
        return absl::StrCat("\"", Utf8(Excerpt(text.text(), found.span)),
                            "\" holds the words of rule ", rule.id(), ", farther apart than ",
                            pattern.within, " characters");
      }
    }
    for (const Term& term : compiled.near_terms) {
      if (term.FoundIn(text)) {
        return absl::StrCat("\"", term.written(), "\" comes near rule ", rule.id());
      }
    }
    for (const Term& keyword : compiled.keywords) {
      if (const Span near = keyword.NearIn(text.text()); near.end > near.begin) {
        return absl::StrCat("\"", Utf8(Excerpt(text.text(), near)), "\" is one slip from \"",
                            keyword.written(), "\" of rule ", rule.id());
      }
    }
  }
  return "";
}

v1::ImpactScope Classifier::ScopeOf(const v1::SubmitComplaintRequest& request,
                                    const FoldedText& text, std::string* source) const {
  if (ValidScope(request.impact_scope())) {
    *source = "stated by the caller";
    return request.impact_scope();
  }
  for (size_t i = 0; i < scope_keywords_.size(); ++i) {
    for (const Term& keyword : scope_keywords_[i]) {
      if (keyword.FoundIn(text)) {
        const v1::ScopeRule& rule = rules_.scope_rules(static_cast<int>(i));
        *source = absl::StrCat("rule ", rule.id(), " (", keyword.written(), ")");
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
  std::u32string folded = FoldForMatching(request.content());
  folded.push_back(U'\n');
  folded += FoldForMatching(request.description());
  const FoldedText text(std::move(folded));
  v1::ComplaintClassified result;
  const CompiledRule* decided = nullptr;
  const CompiledRule* life_safety = nullptr;
  std::vector<std::string> decided_words;
  v1::Urgency urgency = v1::URGENCY_UNSPECIFIED;
  for (const CompiledRule& compiled : compiled_) {
    const v1::ClassificationRule& rule = RuleOf(compiled);
    Match match = MatchRule(compiled, text);
    if (!match.matched) continue;
    urgency = std::max(urgency, rule.urgency());
    if (rule.urgency_only()) continue;
    const bool takes_category =
        decided == nullptr || (rule.life_safety() && life_safety == nullptr);
    if (rule.life_safety() && life_safety == nullptr) life_safety = &compiled;
    if (takes_category) {
      decided = &compiled;
      decided_words = std::move(match.words);
    }
  }
  if (decided != nullptr) {
    const v1::ClassificationRule& rule = RuleOf(*decided);
    result.set_category(rule.category());
    result.set_complexity(rule.complexity());
    result.mutable_rule()->set_id(rule.id());
    result.mutable_rule()->set_version(rule.version());
    for (std::string& word : decided_words) result.add_matched_keywords(std::move(word));
  } else {
    result.set_category(rules_.default_category());
    result.set_complexity(rules_.default_complexity());
    *result.mutable_rule() = rules_.default_rule();
    urgency = std::max(urgency, rules_.default_urgency());
  }
  std::string scope_source;
  const v1::ImpactScope scope = ScopeOf(request, text, &scope_source);
  result.set_impact_scope(scope);
  result.set_urgency(urgency);
  result.set_priority(PriorityOf(scope, urgency));
  std::string safety;  // the priority's last word
  if (life_safety != nullptr) {
    result.set_life_safety(true);
    result.set_priority(v1::PRIORITY_P1);
    safety =
        absl::StrCat("; life safety (rule ", RuleOf(*life_safety).id(), "): P1 whatever the scope");
  } else if (std::string near = NearLifeSafety(text); !near.empty()) {
    const v1::Priority floor = rules_.possible_life_safety_priority();
    std::string raised;
    if (ValidPriority(floor) && result.priority() > floor) {
      raised = absl::StrCat(" (raised from P", static_cast<int>(result.priority()), ")");
      result.set_priority(floor);
    }
    safety = absl::StrCat("; possible life safety: ", near, raised,
                          ", so the duty office sees it at once, before the call-back");
    result.set_possible_life_safety(std::move(near));
  }
  result.set_explanation(
      absl::StrCat("category ", result.category(), " by rule ", result.rule().id(), " v",
                   result.rule().version(),
                   result.matched_keywords().empty()
                       ? ""
                       : absl::StrCat(" (", absl::StrJoin(result.matched_keywords(), ", "), ")"),
                   "; urgency ", Short(v1::Urgency_descriptor(), urgency, "URGENCY_"), "; scope ",
                   Short(v1::ImpactScope_descriptor(), scope, "IMPACT_SCOPE_"), " from ",
                   scope_source, "; priority P", static_cast<int>(result.priority()),
                   life_safety != nullptr ? "" : " from the scope x urgency matrix", safety));
  return result;
}

}  // namespace complaints::intake
