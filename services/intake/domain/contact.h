#pragma once
// §2.2 contact details and proof of identity: phone numbers parsed, validated
// and normalised with libphonenumber (mainland mobile and landline numbers
// without a country code, international ones with +), e-mail addresses, and
// the 18-character mainland resident identity card number.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace complaints::intake {

// The number in E.164 form (+8613800138000). Numbers without a country code
// are read as mainland China numbers. INVALID_ARGUMENT naming `field` when the
// number is not a valid one.
absl::StatusOr<std::string> NormalizePhone(absl::string_view field, absl::string_view raw);

// What NormalizePhone answers, from libphonenumber's Parse alone for every
// number (NormalizePhone takes a shortcut for plain mobile numbers; the
// tests hold the two to the same answers).
absl::StatusOr<std::string> ParsePhone(absl::string_view field, absl::string_view raw);

// local@domain.tld, one '@', no spaces, a dot inside the domain.
bool IsPlausibleEmail(absl::string_view email);

// An 18-character resident identity card number (居民身份证): 6-digit region,
// a real birth date YYYYMMDD, 3-digit sequence and the ISO 7064 MOD 11-2 check
// character (0–9 or X; a lower-case x is accepted).
bool IsValidResidentId(absl::string_view id);

// The ISO 7064 MOD 11-2 check character of the first 17 digits of `id`.
// REQUIRES: id holds at least 17 ASCII digits.
char ResidentIdCheckCharacter(absl::string_view id);

}  // namespace complaints::intake
