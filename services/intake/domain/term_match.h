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

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace complaints::intake {

struct Span {
  size_t begin = 0;  // in code points of the folded text
  size_t end = 0;
};

// Folded text indexed by character: for each character, the chain of the
// places it occurs. A term is compared only where its first character is, so
// the rules' hundreds of terms cost what their candidate places cost, not a
// pass over the text each (the classifier's search was a fifth of intake's
// CPU). Immutable.
class FoldedText {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  explicit FoldedText(std::u32string text);

  const std::u32string& text() const { return text_; }
  // The first place of `c`, and the place of the same character after `at`;
  // kNone past the last.
  uint32_t First(char32_t c) const;
  uint32_t Next(uint32_t at) const { return next_[at]; }

 private:
  std::u32string text_;
  std::vector<uint32_t> next_;
  std::array<uint32_t, 128> first_ascii_;
  absl::flat_hash_map<char32_t, uint32_t> first_other_;
};

class Term {
 public:
  // `text` as written in a rule; it is folded like the complaint's text.
  explicit Term(absl::string_view text);

  const std::u32string& folded() const { return folded_; }
  const std::string& written() const { return written_; }
  bool empty() const { return folded_.empty(); }

  // Every occurrence in `text`, in order.
  std::vector<Span> FindAll(const FoldedText& text) const;
  bool FoundIn(const FoldedText& text) const;

  // An occurrence one edit away (a character replaced, added, left out, or
  // two swapped) that is not an exact one, for CJK terms of 4 characters or
  // more: long enough for that to be a slip of the input method rather than
  // another word. (English words one letter apart are too often other words:
  // parking and sparking, frame and flame.) Returns the span, or an empty one.
  Span NearIn(const std::u32string& text) const;

 private:
  bool MatchesAt(const std::u32string& text, size_t at, size_t* end) const;
  // Calls `found` with each occurrence in order until it returns false.
  template <typename Found>
  void ForEach(const FoldedText& text, Found found) const;

  std::string written_;
  std::u32string folded_;
  bool word_start_ = false;  // begins with a Latin letter or digit
  bool word_end_ = false;    // ends with one
  bool y_stem_ = false;      // ends in a consonant and y: also -ies, -ied
};

// The terms of one set: one of them is enough.
std::vector<Span> FindAny(const std::vector<Term>& terms, const FoldedText& text);

// Whether one occurrence of each set lies within `within` code points (from
// the first one's start to the last one's end), in any order. `span` is the
// tightest such group when every set occurs at all.
struct Proximity {
  bool all_present = false;
  bool within = false;
  Span span;
};
Proximity FindTogether(const std::vector<std::vector<Term>>& sets, const FoldedText& text,
                       size_t within);

}  // namespace complaints::intake
