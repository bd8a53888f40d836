#pragma once
// The redacted copy of a complaint's free text (docs/architecture.md "Personal data",
// docs/procedure.md §4.2): what routing models, hot-issue terms, briefings
// and analytics may read. The personal data of anyone in the text — not only
// the complainant's — is replaced by a marker:
//  - phone numbers (libphonenumber's PhoneNumberMatcher for mainland
//    numbers, and any run of 7–15 digits written as a phone number is: +1
//    212 555 0147, (415) 555-2671, 020 7946 0958; dates are not);
//  - identity numbers (18 characters, or the old 15 digits) and card
//    numbers (16–19 digits);
//  - e-mail addresses;
//  - door (unit) numbers: 1202室, 3栋1202, 5-1203, 住在1502, apartment 4B,
//    room 305, a lone 12A;
//  - personal names (name_finder.h): the complainant's, Chinese names by
//    surname in context (邻居张伟, 王先生, 老李) and English names after
//    titles and words such as neighbour or tenant.
// The rest of the text is kept as written: buildings, floors, places, the
// matter. Every pass is linear in the text (it is the caller's, so no
// backtracking matcher touches it). Pure; thread-safe.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace complaints::intake {

inline constexpr char kPhoneMarker[] = "[phone]";
inline constexpr char kIdMarker[] = "[id]";
inline constexpr char kEmailMarker[] = "[email]";
inline constexpr char kUnitMarker[] = "[unit]";
inline constexpr char kNameMarker[] = "[name]";

enum class PersonalKind { kPhone, kId, kEmail, kUnit, kName };

// A piece of personal data: bytes [begin, end) of the text.
struct PersonalSpan {
  size_t begin = 0;
  size_t end = 0;
  PersonalKind kind = PersonalKind::kName;
};

// Every piece of personal data in `text` (UTF-8), in order and not
// overlapping (where two finders overlap, one span covers both). `name` is
// the complainant's name (empty: none known).
std::vector<PersonalSpan> FindPersonalData(absl::string_view text, absl::string_view name);

// `text` with each span FindPersonalData finds replaced by its marker.
std::string RedactFreeText(absl::string_view text, absl::string_view name);

}  // namespace complaints::intake
