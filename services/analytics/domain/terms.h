#pragma once
// §5.1 hot issues: the terms of a complaint's (redacted) text. Chinese is
// segmented by ICU's dictionary-based word break iterator, other scripts by
// its word rules; terms are lowercased, and numbers, punctuation, single
// characters, stop words (Chinese and English function words) and the
// redaction markers ("[phone]", "[name]", …) are dropped. Pure; thread-safe.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace complaints::analytics {

inline constexpr size_t kMaxTermsPerText = 40;
inline constexpr size_t kMaxTermBytes = 48;

// The distinct terms of `text` (UTF-8) in order of first appearance, at most
// kMaxTermsPerText, each at most kMaxTermBytes.
std::vector<std::string> TermsOf(absl::string_view text);

}  // namespace complaints::analytics
