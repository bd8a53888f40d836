#pragma once
// Text normalisation applied before rules look at free text.

#include <string>

#include "absl/strings/string_view.h"

namespace complaints {

// Unicode NFKC (full-width forms become half-width, compatibility characters
// their plain forms) followed by case folding, with ICU. Invalid UTF-8 is
// replaced by U+FFFD.
std::string NormalizeForMatching(absl::string_view text);

// True when `text` is well-formed UTF-8.
bool IsValidUtf8(absl::string_view text);

// The number of code points in well-formed UTF-8 `text`.
size_t CodePointCount(absl::string_view text);

}  // namespace complaints
