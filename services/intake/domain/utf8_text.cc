#include "services/intake/domain/utf8_text.h"

#include "unicode/utf8.h"

namespace complaints::intake {

Utf8Text::Utf8Text(absl::string_view text) {
  chars_.reserve(text.size());
  offsets_.reserve(text.size() + 1);
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    offsets_.push_back(static_cast<size_t>(i));
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    chars_.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
  }
  offsets_.push_back(text.size());
}

bool Utf8Text::StartsWithAny(size_t k, std::initializer_list<std::u32string_view> prefixes) const {
  for (std::u32string_view prefix : prefixes) {
    if (k + prefix.size() > chars_.size()) continue;
    if (std::equal(prefix.begin(), prefix.end(), chars_.begin() + static_cast<std::ptrdiff_t>(k))) {
      return true;
    }
  }
  return false;
}

bool Utf8Text::EndsWithAny(size_t k, std::initializer_list<std::u32string_view> suffixes) const {
  for (std::u32string_view suffix : suffixes) {
    if (suffix.size() > k) continue;
    if (std::equal(suffix.begin(), suffix.end(),
                   chars_.begin() + static_cast<std::ptrdiff_t>(k - suffix.size()))) {
      return true;
    }
  }
  return false;
}

bool Utf8Text::StartsWithFolded(size_t k, std::u32string_view word) const {
  if (k + word.size() > chars_.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    char32_t c = chars_[k + i];
    if (c >= U'A' && c <= U'Z') c = c - U'A' + U'a';
    if (c != word[i]) return false;
  }
  return true;
}

}  // namespace complaints::intake
