#pragma once
// §2.3 finding a rule's words in folded text (matching_text.h). Pure,
// immutable, thread-safe.
//
// A term that begins or ends with a Latin letter or digit is a word: it
// matches only at a word start, and ends at a word end or before one of the
// endings s, es, ed, d, ing (leak matches leaks and leaking, not bleak; lift
// does not match shoplifting); a final y after a consonant also takes -ies
// and -ied. "non-" before it cancels it (non-emergency).
// A CJK term matches anywhere.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace complaints::intake {

struct Span {
  size_t begin = 0;  // in code points of the folded text
  size_t end = 0;
};

class Term {
 public:
  // `text` as written in a rule; it is folded like the complaint's text.
  explicit Term(absl::string_view text);

  const std::u32string& folded() const { return folded_; }
  const std::string& written() const { return written_; }
  bool empty() const { return folded_.empty(); }

  // Every occurrence in `text`, in order.
  std::vector<Span> FindAll(const std::u32string& text) const;
  bool FoundIn(const std::u32string& text) const;

  // An occurrence one edit away (a character replaced, added, left out, or
  // two swapped) that is not an exact one, for CJK terms of 4 characters or
  // more: long enough for that to be a slip of the input method rather than
  // another word. (English words one letter apart are too often other words:
  // parking and sparking, frame and flame.) Returns the span, or an empty one.
  Span NearIn(const std::u32string& text) const;

 private:
  bool MatchesAt(const std::u32string& text, size_t at, size_t* end) const;

  std::string written_;
  std::u32string folded_;
  bool word_start_ = false;  // begins with a Latin letter or digit
  bool word_end_ = false;    // ends with one
  bool y_stem_ = false;      // ends in a consonant and y: also -ies, -ied
};

// The terms of one set: one of them is enough.
std::vector<Span> FindAny(const std::vector<Term>& terms, const std::u32string& text);

// Whether one occurrence of each set lies within `within` code points (from
// the first one's start to the last one's end), in any order. `span` is the
// tightest such group when every set occurs at all.
struct Proximity {
  bool all_present = false;
  bool within = false;
  Span span;
};
Proximity FindTogether(const std::vector<std::vector<Term>>& sets, const std::u32string& text,
                       size_t within);

}  // namespace complaints::intake
