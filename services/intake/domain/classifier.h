#pragma once
// §2.3 classification and priority (docs/procedure.md §2.3). The text read is
// the content and description folded so that spelling cannot change the
// matter (matching_text.h). A rule matches by a keyword or by a pattern (one
// word of each set close together). The first matching rule names the
// category and complexity, except that a life-safety rule's category comes
// first; the urgency is the highest among all matching rules, so a hazard
// anywhere in the text wins; the impact scope is the caller's, else the first
// matching scope rule's, else read from the location; the priority is the
// matrix cell of scope x urgency, and P1 when a life-safety rule matched.
// A text that comes near a life-safety rule without matching it (its words
// too far apart, a near term, a keyword one slip away) is flagged as
// possible life safety, with the reason, and kept at or above the configured
// priority. The decision names the category rule and explains itself.
// Immutable, thread-safe.

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/intake.pb.h"
#include "services/intake/domain/term_match.h"

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
  struct Pattern {
    std::vector<std::vector<Term>> sets;
    size_t within = 0;
  };
  struct CompiledRule {
    int index = 0;  // in rules_.rules()
    std::vector<Term> keywords;
    std::vector<Pattern> patterns;
    std::vector<Term> near_terms;
  };
  struct Match {
    bool matched = false;
    std::vector<std::string> words;  // the keywords or pattern words found
  };

  explicit Classifier(v1::ClassificationRules rules) : rules_(std::move(rules)) {}
  void Compile();
  static Match MatchRule(const CompiledRule& rule, const FoldedText& text);
  const v1::ClassificationRule& RuleOf(const CompiledRule& compiled) const {
    return rules_.rules(compiled.index);
  }
  // Why `text` comes near a life-safety rule, or empty.
  std::string NearLifeSafety(const FoldedText& text) const;
  v1::ImpactScope ScopeOf(const v1::SubmitComplaintRequest& request, const FoldedText& text,
                          std::string* source) const;

  v1::ClassificationRules rules_;
  std::vector<CompiledRule> compiled_;
  std::vector<std::vector<Term>> scope_keywords_;  // by index in rules_.scope_rules()
  std::map<std::pair<int, int>, v1::Priority> matrix_;
  std::set<std::string> categories_;
};

}  // namespace complaints::intake
