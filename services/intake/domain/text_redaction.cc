#include "services/intake/domain/text_redaction.h"

#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "phonenumbers/phonenumbermatch.h"
#include "phonenumbers/phonenumbermatcher.h"
#include "phonenumbers/phonenumberutil.h"

namespace complaints::intake {
namespace {

// Replaces every match of `pattern` by `marker`; group 1 is the part to mask
// (the others only stand guard at its edges).
std::string ReplaceGroup(const std::string& text, const std::regex& pattern,
                         absl::string_view marker) {
  std::string out;
  size_t copied = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern);
       it != std::sregex_iterator(); ++it) {
    const auto begin = static_cast<size_t>(it->position(1));
    out.append(text, copied, begin - copied);
    out.append(marker.data(), marker.size());
    copied = begin + static_cast<size_t>(it->length(1));
  }
  out.append(text, copied, std::string::npos);
  return out;
}

// Phone numbers as libphonenumber finds them, read as mainland numbers when
// they carry no country code. Each raw match is replaced where it stands.
std::string MaskPhones(const std::string& text) {
  using i18n::phonenumbers::PhoneNumberMatch;
  using i18n::phonenumbers::PhoneNumberMatcher;
  using i18n::phonenumbers::PhoneNumberUtil;
  PhoneNumberMatcher matcher(*PhoneNumberUtil::GetInstance(), text, "CN", PhoneNumberMatcher::VALID,
                             /*max_tries=*/100);
  std::string out;
  size_t copied = 0;
  PhoneNumberMatch match;
  while (matcher.HasNext() && matcher.Next(&match)) {
    const size_t at = text.find(match.raw_string(), copied);
    if (at == std::string::npos) continue;
    out.append(text, copied, at - copied);
    out.append(kPhoneMarker);
    copied = at + match.raw_string().size();
  }
  out.append(text, copied, std::string::npos);
  return out;
}

}  // namespace

std::string RedactFreeText(absl::string_view text, absl::string_view name) {
  static const std::regex* const kEmail =
      new std::regex(R"(([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}))");
  // Digits not glued to other digits: 18 characters (the last may be X) or 15.
  static const std::regex* const kResidentId =
      new std::regex(R"((?:^|[^0-9])([0-9]{17}[0-9Xx]|[0-9]{15})(?=[^0-9]|$))");
  std::string out = ReplaceGroup(std::string(text), *kEmail, kEmailMarker);
  out = ReplaceGroup(out, *kResidentId, kIdMarker);
  out = MaskPhones(out);
  if (!name.empty()) out = absl::StrReplaceAll(out, {{name, kNameMarker}});
  return out;
}

}  // namespace complaints::intake
