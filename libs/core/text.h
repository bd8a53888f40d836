#pragma once
// Text normalisation applied before rules look at free text.

#include "absl/strings/string_view.h"
#include <string>

namespace complaints {

// Folds full-width ASCII forms (U+FF01–U+FF5E) and the ideographic space to
// their half-width forms and lower-cases ASCII letters; other characters are
// kept as they are. Invalid UTF-8 bytes are kept unchanged.
std::string NormalizeForMatching(absl::string_view text);

// True when `text` is well-formed UTF-8.
bool IsValidUtf8(absl::string_view text);

// The number of code points in well-formed UTF-8 `text`.
size_t CodePointCount(absl::string_view text);

}  // namespace complaints
