#include "services/intake/domain/term_match.h"

#include <algorithm>

#include "services/intake/domain/matching_text.h"

namespace complaints::intake {
namespace {

bool IsLatinWordCharacter(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9');
}

bool EndsWord(const std::u32string& text, size_t at) {
  return at >= text.size() || !IsWordCharacter(text[at]);
}

// Length of an inflection (s, es, ed, d, ing) at `at` that ends a word, or
// npos when there is none.
size_t InflectionAt(const std::u32string& text, size_t at) {
  for (const std::u32string_view ending : {U"ing", U"es", U"ed", U"s", U"d"}) {
    if (text.compare(at, ending.size(), ending) == 0 && EndsWord(text, at + ending.size())) {
      return ending.size();
    }
  }
  return std::u32string::npos;
}

bool CancelledByNon(const std::u32string& text, size_t at) {
  return at >= 4 &&
         (text.compare(at - 4, 4, U"non-") == 0 || text.compare(at - 4, 4, U"non ") == 0);
}

// Optimal string alignment distance of a and b, capped: returns 2 for anything above 1.
int DistanceUpToOne(std::u32string_view a, std::u32string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return 2;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return a.size() == b.size() ? 0 : 1;
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return 1;  // replaced
    if (i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
        a.substr(i + 2) == b.substr(i + 2)) {
      return 1;  // swapped
    }
    return 2;
  }
  return a.substr(i) == b.substr(i + 1) ? 1 : 2;  // one left out of a
}

}  // namespace

Term::Term(absl::string_view text) : written_(text), folded_(FoldForMatching(text)) {
  // Spaces at the ends of a rule's word mean nothing after folding.
  while (!folded_.empty() && folded_.back() == U' ') folded_.pop_back();
  while (!folded_.empty() && folded_.front() == U' ') folded_.erase(folded_.begin());
  if (folded_.empty()) return;
  word_start_ = IsLatinWordCharacter(folded_.front());
  word_end_ = IsLatinWordCharacter(folded_.back());
  y_stem_ =
      folded_.size() >= 3 && folded_.back() == U'y' &&
      std::u32string_view(U"aeiou").find(folded_[folded_.size() - 2]) == std::u32string_view::npos;
}

bool Term::MatchesAt(const std::u32string& text, size_t at, size_t* end) const {
  if (text.compare(at, folded_.size(), folded_) != 0) {
    // emergency -> emergencies, emergencied
    if (!y_stem_ || text.compare(at, folded_.size() - 1, folded_, 0, folded_.size() - 1) != 0 ||
        (text.compare(at + folded_.size() - 1, 3, U"ies") != 0 &&
         text.compare(at + folded_.size() - 1, 3, U"ied") != 0)) {
      return false;
    }
    if (word_start_ && ((at > 0 && IsWordCharacter(text[at - 1])) || CancelledByNon(text, at))) {
      return false;
    }
    *end = at + folded_.size() + 2;
    return EndsWord(text, *end);
  }
  if (word_start_ && ((at > 0 && IsWordCharacter(text[at - 1])) || CancelledByNon(text, at))) {
    return false;
  }
  *end = at + folded_.size();
  if (!word_end_ || EndsWord(text, *end)) return true;
  const size_t inflection = InflectionAt(text, *end);
  if (inflection == std::u32string::npos) return false;
  *end += inflection;
  return true;
}

FoldedText::FoldedText(std::u32string text) : text_(std::move(text)), next_(text_.size(), kNone) {
  first_ascii_.fill(kNone);
  for (size_t i = text_.size(); i-- > 0;) {
    const char32_t c = text_[i];
    uint32_t& first = c < first_ascii_.size() ? first_ascii_[c]
                                              : first_other_.try_emplace(c, kNone).first->second;
    next_[i] = first;
    first = static_cast<uint32_t>(i);
  }
}

uint32_t FoldedText::First(char32_t c) const {
  if (c < first_ascii_.size()) return first_ascii_[c];
  const auto it = first_other_.find(c);
  return it == first_other_.end() ? kNone : it->second;
}

template <typename Found>
void Term::ForEach(const FoldedText& text, Found found) const {
  if (folded_.empty()) return;
  // The search key leaves out a final y, so emergencies is found too.
  const std::u32string_view key(folded_.data(), folded_.size() - (y_stem_ ? 1 : 0));
  const std::u32string& chars = text.text();
  for (uint32_t at = text.First(key.front()); at != FoldedText::kNone; at = text.Next(at)) {
    size_t end = 0;
    if (chars.compare(at, key.size(), key) == 0 && MatchesAt(chars, at, &end) &&
        !found(Span{at, end})) {
      return;
    }
  }
}

std::vector<Span> Term::FindAll(const FoldedText& text) const {
  std::vector<Span> spans;
  ForEach(text, [&](Span span) {
    spans.push_back(span);
    return true;
  });
  return spans;
}

bool Term::FoundIn(const FoldedText& text) const {
  bool found = false;
  ForEach(text, [&](Span) {
    found = true;
    return false;
  });
  return found;
}

Span Term::NearIn(const std::u32string& text) const {
  const size_t m = folded_.size();
  if (m < 4 || !std::all_of(folded_.begin(), folded_.end(), IsCjk)) return {};
  // One slip leaves the first or the second character in place; the term
  // itself is not a slip.
  if ((text.find(folded_[0]) == std::u32string::npos &&
       text.find(folded_[1]) == std::u32string::npos) ||
      text.find(folded_) != std::u32string::npos) {
    return {};
  }
  const std::u32string_view term(folded_);
  for (size_t at = 0; at + m - 1 <= text.size(); ++at) {
    for (const size_t length : {m, m + 1, m - 1}) {
      if (at + length > text.size()) continue;
      const std::u32string_view window(text.data() + at, length);
      if (window.front() != term.front() && window.back() != term.back()) continue;
      if (DistanceUpToOne(window, term) == 1) return {at, at + length};
    }
  }
  return {};
}

std::vector<Span> FindAny(const std::vector<Term>& terms, const FoldedText& text) {
  std::vector<Span> spans;
  for (const Term& term : terms) {
    std::vector<Span> found = term.FindAll(text);
    spans.insert(spans.end(), found.begin(), found.end());
  }
  return spans;
}

Proximity FindTogether(const std::vector<std::vector<Term>>& sets, const FoldedText& text,
                       size_t within) {
  Proximity result;
  std::vector<std::vector<Span>> found;
  for (const std::vector<Term>& set : sets) {
    found.push_back(FindAny(set, text));
    if (found.back().empty()) return result;
  }
  result.all_present = true;
  size_t best = std::u32string::npos;
  // Each occurrence in turn as the leftmost: from every other set the
  // occurrence starting at or after it that ends first.
  for (size_t s = 0; s < found.size(); ++s) {
    for (const Span& anchor : found[s]) {
      size_t end = anchor.end;
      bool complete = true;
      for (size_t other = 0; other < found.size() && complete; ++other) {
        if (other == s) continue;
        size_t nearest = std::u32string::npos;
        for (const Span& span : found[other]) {
          if (span.begin >= anchor.begin) nearest = std::min(nearest, span.end);
        }
        if (nearest == std::u32string::npos) complete = false;
        end = std::max(end, nearest);
      }
      if (complete && end - anchor.begin < best) {
        best = end - anchor.begin;
        result.span = {anchor.begin, end};
      }
    }
  }
  result.within = best <= within;
  return result;
}

}  // namespace complaints::intake
