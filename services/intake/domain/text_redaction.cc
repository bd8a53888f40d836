#include "services/intake/domain/text_redaction.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "phonenumbers/phonenumbermatch.h"
#include "phonenumbers/phonenumbermatcher.h"
#include "phonenumbers/phonenumberutil.h"

namespace complaints::intake {
namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }
bool LocalChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '-';
}
bool DomainChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

// Runs of digits not glued to other digits: 18 characters (the last may be
// X) or the old 15 digits are identity numbers. One linear pass: free text
// is the caller's, so no backtracking matcher touches it.
std::string MaskIds(const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (!Digit(text[i])) {
      out.push_back(text[i++]);
      continue;
    }
    size_t end = i;
    while (end < text.size() && Digit(text[end])) ++end;
    size_t length = end - i;
    if (length == 17 && end < text.size() && (text[end] == 'X' || text[end] == 'x')) {
      ++end;
      ++length;
    }
    if (length == 15 || length == 18) {
      out.append(kIdMarker);
    } else {
      out.append(text, i, end - i);
    }
    i = end;
  }
  return out;
}

// local@domain.tld around each '@', in one linear pass.
std::string MaskEmails(const std::string& text) {
  std::string out;
  size_t copied = 0;
  size_t at = text.find('@');
  while (at != std::string::npos) {
    size_t begin = at;
    // '@' is neither a local nor a domain character: each scan stops at the
    // neighbouring '@', so the pass stays linear.
    while (begin > copied && LocalChar(text[begin - 1])) --begin;
    while (begin < at && text[begin] == '.') ++begin;
    size_t end = at + 1;
    while (end < text.size() && DomainChar(text[end])) ++end;
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
    const absl::string_view domain(text.data() + at + 1, end - at - 1);
    const size_t dot = domain.rfind('.');
    const bool email =
        begin < at && dot != absl::string_view::npos && dot > 0 && domain.size() - dot - 1 >= 2 &&
        std::all_of(domain.begin() + static_cast<std::ptrdiff_t>(dot) + 1, domain.end(),
                    [](char c) { return absl::ascii_isalpha(static_cast<unsigned char>(c)); });
    if (email) {
      out.append(text, copied, begin - copied);
      out.append(kEmailMarker);
      copied = end;
    }
    at = text.find('@', std::max(at + 1, copied));
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
  std::string out = MaskEmails(std::string(text));
  out = MaskIds(out);
  out = MaskPhones(out);
  if (!name.empty()) out = absl::StrReplaceAll(out, {{name, kNameMarker}});
  return out;
}

}  // namespace complaints::intake
