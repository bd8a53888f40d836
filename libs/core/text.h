#pragma once
// Text rules applied to everything people and calling systems type in, and
// the escaping applied to anything of theirs that we print.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace complaints {

enum class TextShape {
  kSingleLine,  // names, numbers, keys, places: no line breaks, no tabs
  kMultiLine,   // content and descriptions: line feeds and tabs allowed
};

// The written rule for stored text (docs/api.md "Limits"), in this order:
//  1. it must be well-formed UTF-8;
//  2. it is put in Unicode NFKC (full-width forms become plain, ① becomes 1);
//  3. format characters (Unicode category Cf: zero-width space and joiners,
//     bidi embeddings, overrides and isolates, soft hyphen, BOM) are removed,
//     so 电\u200b梯 reads as 电梯 to people and to the classifier alike;
//  4. in multi-line text CR LF and lone CR become LF, and LS/PS become LF;
//  5. any other control character (category Cc, NUL included; in single-line
//     text also tab, LF, CR, LS and PS) refuses the text.
// INVALID_ARGUMENT with the reason (no field name: the caller adds it).
absl::StatusOr<std::string> CleanText(absl::string_view text, TextShape shape);

// Unicode NFKC (full-width forms become half-width, compatibility characters
// their plain forms) followed by case folding, with ICU. Invalid UTF-8 is
// replaced by U+FFFD.
std::string NormalizeForMatching(absl::string_view text);

// True when `text` is well-formed UTF-8.
bool IsValidUtf8(absl::string_view text);

// The number of code points in well-formed UTF-8 `text`.
size_t CodePointCount(absl::string_view text);

// At most `max_chars` characters of `text` for an error message or a log
// line: control, format and separator characters become \u{XXXX}, bytes that
// are not UTF-8 become \xNN, quotes and backslashes are escaped, and "…"
// marks a cut. Safe inside JSON strings and on terminals.
std::string EscapedPrefix(absl::string_view text, size_t max_chars = 40);

// All of `text` for a terminal: like EscapedPrefix, but nothing is cut and
// quotes stay as they are; line breaks and tabs are escaped too, so one field
// prints on one line.
std::string EscapeForTerminal(absl::string_view text);

}  // namespace complaints
