#pragma once
// UTF-8 text read as code points, each with its byte offset, for finders
// that reason about characters but report byte spans. Pure.

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace complaints::intake {

class Utf8Text {
 public:
  // Bytes that are not UTF-8 read as U+FFFD, one per byte.
  explicit Utf8Text(absl::string_view text);

  size_t size() const { return chars_.size(); }
  char32_t operator[](size_t k) const { return chars_[k]; }
  // The byte offset of character `k`; size() gives the text's length.
  size_t offset(size_t k) const { return offsets_[k]; }

  // Whether the characters from `k` on begin with one of `prefixes`.
  bool StartsWithAny(size_t k, std::initializer_list<std::u32string_view> prefixes) const;
  // Whether the characters before `k` end with one of `suffixes`.
  bool EndsWithAny(size_t k, std::initializer_list<std::u32string_view> suffixes) const;
  // Whether the characters from `k` on begin with `word`, ASCII letters in
  // any case (`word` in lower case).
  bool StartsWithFolded(size_t k, std::u32string_view word) const;

 private:
  std::vector<char32_t> chars_;
  std::vector<size_t> offsets_;  // size() + 1 entries
};

}  // namespace complaints::intake
