#include "services/intake/domain/contact.h"

#include <cstdint>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "phonenumbers/phonenumberutil.h"

namespace complaints::intake {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// A mainland mobile number written plainly, 11 digits from 13-19: what most
// calling systems send. Parse's regular expressions (punctuation, extensions,
// carrier codes) were 6 % of intake's CPU (bench/README.md); for these its
// answer is +86 and the digits whenever the number is valid. The prefixes
// CN's national-prefix rule may strip as a carrier code (0, 1[12]xx, 179xx)
// cannot begin one, so they are left to Parse. nullopt: ask Parse.
std::optional<std::string> PlainMobile(const PhoneNumberUtil& util, absl::string_view raw) {
  if (raw.size() != 11 || raw[0] != '1' || raw[1] < '3' || (raw[1] == '7' && raw[2] == '9')) {
    return std::nullopt;
  }
  uint64_t digits = 0;
  for (char c : raw) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    digits = digits * 10 + static_cast<uint64_t>(c - '0');
  }
  PhoneNumber number;
  number.set_country_code(86);
  number.set_national_number(digits);
  if (!util.IsValidNumber(number)) return std::nullopt;
  return absl::StrCat("+86", raw);
}

}  // namespace

absl::StatusOr<std::string> ParsePhone(absl::string_view field, absl::string_view raw) {
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util->Parse(std::string(raw), "CN", &number) != PhoneNumberUtil::NO_PARSING_ERROR ||
      !util->IsValidNumber(number)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": not a valid phone number"));
  }
  std::string e164;
  util->Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

absl::StatusOr<std::string> NormalizePhone(absl::string_view field, absl::string_view raw) {
  if (std::optional<std::string> plain = PlainMobile(*PhoneNumberUtil::GetInstance(), raw)) {
    return *std::move(plain);
  }
  return ParsePhone(field, raw);
}

bool IsPlausibleEmail(absl::string_view email) {
  const size_t at = email.find('@');
  if (at == absl::string_view::npos || at == 0 ||
      email.find('@', at + 1) != absl::string_view::npos) {
    return false;
  }
  const absl::string_view domain = email.substr(at + 1);
  const size_t dot = domain.find('.');
  return dot != absl::string_view::npos && dot > 0 && dot + 1 < domain.size() &&
         email.find(' ') == absl::string_view::npos;
}

char ResidentIdCheckCharacter(absl::string_view id) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (id[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

bool IsValidResidentId(absl::string_view id) {
  if (id.size() != 18) return false;
  for (int i = 0; i < 17; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(id[i]))) return false;
  }
  const int year = std::stoi(std::string(id.substr(6, 4)));
  const int month = std::stoi(std::string(id.substr(10, 2)));
  const int day = std::stoi(std::string(id.substr(12, 2)));
  const absl::CivilDay birth(year, month, day);
  if (birth.year() != year || birth.month() != month || birth.day() != day || year < 1900) {
    return false;  // absl normalised an impossible date such as 0230
  }
  return absl::ascii_toupper(static_cast<unsigned char>(id[17])) == ResidentIdCheckCharacter(id);
}

}  // namespace complaints::intake
