#pragma once
// The redacted copy of a complaint's free text (DESIGN.md "Personal data"):
// what routing models, hot-issue terms and analytics may read. Phone numbers
// (libphonenumber's PhoneNumberMatcher, mainland numbers without +86 too),
// resident identity numbers (18 characters, or the old 15 digits), e-mail
// addresses and the complainant's own name are replaced by a marker; the
// rest of the text is kept as written. Pure; thread-safe.

#include <string>

#include "absl/strings/string_view.h"

namespace complaints::intake {

inline constexpr char kPhoneMarker[] = "[phone]";
inline constexpr char kIdMarker[] = "[id]";
inline constexpr char kEmailMarker[] = "[email]";
inline constexpr char kNameMarker[] = "[name]";

// `text` (UTF-8) with the personal data in it masked; `name` is the
// complainant's name (empty: none known).
std::string RedactFreeText(absl::string_view text, absl::string_view name);

}  // namespace complaints::intake
