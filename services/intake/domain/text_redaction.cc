#include "services/intake/domain/text_redaction.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "phonenumbers/phonenumbermatch.h"
#include "phonenumbers/phonenumbermatcher.h"
#include "phonenumbers/phonenumberutil.h"
#include "services/intake/domain/name_finder.h"
#include "services/intake/domain/utf8_text.h"

namespace complaints::intake {
namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }
bool Alnum(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)); }
bool LocalChar(char c) {
  return Alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool DomainChar(char c) { return Alnum(c) || c == '.' || c == '-'; }

// Runs of digits not glued to other digits: 18 characters (the last may be
// X) or the old 15 digits are identity numbers; 16, 17 and 19 digits are
// card numbers.
void FindIds(absl::string_view text, std::vector<PersonalSpan>& spans) {
  size_t i = 0;
  while (i < text.size()) {
    if (!Digit(text[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && Digit(text[end])) ++end;
    size_t length = end - i;
    if (length == 17 && end < text.size() && (text[end] == 'X' || text[end] == 'x')) {
      ++end;
      ++length;
    }
    if (length >= 15 && length <= 19) spans.push_back({i, end, PersonalKind::kId});
    i = end;
  }
}

// local@domain.tld around each '@'. '@' is neither a local nor a domain
// character: each scan stops at the neighbouring '@', so the pass is linear.
void FindEmails(absl::string_view text, std::vector<PersonalSpan>& spans) {
  size_t floor = 0;
  for (size_t at = text.find('@'); at != absl::string_view::npos; at = text.find('@', at + 1)) {
    size_t begin = at;
    while (begin > floor && LocalChar(text[begin - 1])) --begin;
    while (begin < at && text[begin] == '.') ++begin;
    size_t end = at + 1;
    while (end < text.size() && DomainChar(text[end])) ++end;
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
    const absl::string_view domain = text.substr(at + 1, end - at - 1);
    const size_t dot = domain.rfind('.');
    if (begin < at && dot != absl::string_view::npos && dot > 0 && domain.size() - dot - 1 >= 2 &&
        std::all_of(domain.begin() + static_cast<std::ptrdiff_t>(dot) + 1, domain.end(),
                    [](char c) { return absl::ascii_isalpha(static_cast<unsigned char>(c)); })) {
      spans.push_back({begin, end, PersonalKind::kEmail});
      floor = end;
    }
  }
}

// Mainland numbers as libphonenumber finds them (+86 or none).
void FindMainlandPhones(absl::string_view text, std::vector<PersonalSpan>& spans) {
  using i18n::phonenumbers::PhoneNumberMatch;
  using i18n::phonenumbers::PhoneNumberMatcher;
  using i18n::phonenumbers::PhoneNumberUtil;
  const std::string copy(text);
  PhoneNumberMatcher matcher(*PhoneNumberUtil::GetInstance(), copy, "CN", PhoneNumberMatcher::VALID,
                             /*max_tries=*/100);
  size_t from = 0;
  PhoneNumberMatch match;
  while (matcher.HasNext() && matcher.Next(&match)) {
    const size_t at = copy.find(match.raw_string(), from);
    if (at == std::string::npos) continue;
    spans.push_back({at, at + match.raw_string().size(), PersonalKind::kPhone});
    from = at + match.raw_string().size();
  }
}

bool PhoneSeparator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; }

// YYYY-MM-DD, YYYY.MM.DD, DD/MM/YYYY and the like are dates, not numbers to call.
bool LooksLikeDate(absl::string_view run) {
  std::vector<size_t> groups;
  size_t length = 0;
  for (char c : run) {
    if (Digit(c)) {
      ++length;
    } else if (length > 0) {
      groups.push_back(length);
      length = 0;
    }
  }
  if (length > 0) groups.push_back(length);
  if (groups.size() != 3) return false;
  return (groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2) ||
         (groups[0] <= 2 && groups[1] <= 2 && groups[2] == 4);
}

// Any number written as people write phone numbers, in any country: an
// optional +, then digits in groups joined by spaces, dashes, dots or
// brackets, 7 to 15 digits in all, not glued to letters or digits around it.
void FindWrittenPhones(absl::string_view text, std::vector<PersonalSpan>& spans) {
  size_t i = 0;
  while (i < text.size()) {
    const bool starts = Digit(text[i]) || ((text[i] == '+' || text[i] == '(') &&
                                           i + 1 < text.size() && Digit(text[i + 1]));
    if (!starts || (i > 0 && Alnum(text[i - 1]))) {
      ++i;
      continue;
    }
    size_t end = i + 1, digits = Digit(text[i]) ? 1 : 0, last_digit = Digit(text[i]) ? i + 1 : i;
    bool joined = text[i] == '+' || text[i] == '(';
    while (end < text.size()) {
      if (Digit(text[end])) {
        ++digits;
        last_digit = ++end;
      } else if (PhoneSeparator(text[end]) && end - last_digit < 2) {
        joined = true;
        ++end;
      } else {
        break;
      }
    }
    const absl::string_view run = text.substr(i, last_digit - i);
    const bool glued = last_digit < text.size() && Alnum(text[last_digit]);
    if (!glued && digits >= 7 && digits <= 15 && (joined || digits <= 12) && !LooksLikeDate(run)) {
      spans.push_back({i, last_digit, PersonalKind::kPhone});
    }
    i = std::max(last_digit, i + 1);
  }
}

// Door numbers, Chinese and English (text_redaction.h).
void FindUnits(absl::string_view text, std::vector<PersonalSpan>& spans) {
  const Utf8Text chars(text);
  const size_t n = chars.size();
  const auto digit = [&](size_t k) { return k < n && chars[k] >= U'0' && chars[k] <= U'9'; };
  const auto ascii_alnum = [&](size_t k) {
    return k < n && chars[k] < 0x80 && Alnum(static_cast<char>(chars[k]));
  };
  const auto add = [&](size_t from, size_t to) {
    spans.push_back({chars.offset(from), chars.offset(to), PersonalKind::kUnit});
  };
  for (size_t k = 0; k < n;) {
    if (!digit(k) || (k > 0 && ascii_alnum(k - 1))) {
      ++k;
      continue;
    }
    size_t end = k;
    while (digit(end)) ++end;
    const size_t length = end - k;
    // 5-1203, 12-302: building, then door.
    if (length <= 2 && end + 1 < n && chars[end] == U'-' && digit(end + 1)) {
      size_t door = end + 1;
      while (digit(door)) ++door;
      if (door - end - 1 >= 3 && door - end - 1 <= 4 && !ascii_alnum(door)) {
        add(k, door);
        k = door;
        continue;
      }
    }
    const bool door_sized = length >= 3 && length <= 4 && !ascii_alnum(end);
    const bool by_suffix =
        length >= 2 && length <= 5 && chars.StartsWithAny(end, {U"室", U"房", U"号房", U"户"});
    const bool by_building =
        door_sized && chars.EndsWithAny(k, {U"栋", U"幢", U"号楼", U"座", U"单元", U"栋-", U"座-"});
    const bool by_resident =
        door_sized &&
        chars.EndsWithAny(k,
                          {U"住", U"在", U"楼上", U"楼下", U"隔壁", U"对门", U"门牌", U"门牌号"}) &&
        !chars.StartsWithAny(end, {U"年", U"月", U"日", U"元", U"块", U"米", U"平", U"层", U"楼",
                                   U"点", U"分", U"个", U"次", U"天", U"岁", U"斤", U"%", U"号楼"});
    const bool by_follower =
        door_sized && chars.StartsWithAny(end, {U"的", U"家", U"住户", U"业主"});
    if (by_suffix || by_building || by_resident || by_follower) add(k, end);
    k = end;
  }
  // English: apartment 4B, unit 3-07, room 1417, flat 7C, #12, and a lone 12A.
  static const std::vector<std::u32string> kWords = {U"apartment", U"apt",   U"unit", U"room",
                                                     U"flat",      U"suite", U"no.",  U"#"};
  for (size_t k = 0; k < n; ++k) {
    if (k > 0 && ascii_alnum(k - 1) && chars[k] != U'#') continue;
    for (const std::u32string& word : kWords) {
      if (!chars.StartsWithFolded(k, word)) continue;
      size_t at = k + word.size();
      if (at < n && chars[at] == U'.') ++at;
      if (ascii_alnum(at) && word != U"#") continue;  // a longer word
      while (at < n && chars[at] == U' ') ++at;
      size_t end = at;
      bool has_digit = false;
      while (end < n && (ascii_alnum(end) || (chars[end] == U'-' && ascii_alnum(end + 1)))) {
        has_digit |= digit(end);
        ++end;
      }
      if (has_digit && end - at <= 8) add(at, end);
    }
    // 12A, 4B, 5F standing alone.
    if (digit(k) && (k == 0 || !ascii_alnum(k - 1))) {
      size_t end = k;
      while (digit(end)) ++end;
      if (end - k <= 4 && end < n && chars[end] >= U'A' && chars[end] <= U'Z' &&
          !ascii_alnum(end + 1)) {
        add(k, end + 1);
      }
    }
  }
}

// The complainant's own name wherever it is written.
void FindName(absl::string_view text, absl::string_view name, std::vector<PersonalSpan>& spans) {
  if (name.empty()) return;
  for (size_t at = text.find(name); at != absl::string_view::npos;
       at = text.find(name, at + name.size())) {
    spans.push_back({at, at + name.size(), PersonalKind::kName});
  }
}

const char* MarkerOf(PersonalKind kind) {
  switch (kind) {
    case PersonalKind::kPhone:
      return kPhoneMarker;
    case PersonalKind::kId:
      return kIdMarker;
    case PersonalKind::kEmail:
      return kEmailMarker;
    case PersonalKind::kUnit:
      return kUnitMarker;
    case PersonalKind::kName:
      return kNameMarker;
  }
  return kNameMarker;
}

}  // namespace

std::vector<PersonalSpan> FindPersonalData(absl::string_view text, absl::string_view name) {
  std::vector<PersonalSpan> found;
  FindEmails(text, found);
  FindIds(text, found);
  FindMainlandPhones(text, found);
  FindWrittenPhones(text, found);
  FindUnits(text, found);
  FindName(text, name, found);
  FindPersonNames(text, found);
  // One span where finders overlap: the earliest start, the kind of the longest.
  std::sort(found.begin(), found.end(), [](const PersonalSpan& a, const PersonalSpan& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<PersonalSpan> merged;
  for (const PersonalSpan& span : found) {
    if (!merged.empty() && span.begin < merged.back().end) {
      PersonalSpan& last = merged.back();
      if (span.end - span.begin > last.end - last.begin) last.kind = span.kind;
      last.end = std::max(last.end, span.end);
      continue;
    }
    merged.push_back(span);
  }
  return merged;
}

std::string RedactFreeText(absl::string_view text, absl::string_view name) {
  std::string out;
  out.reserve(text.size());
  size_t copied = 0;
  for (const PersonalSpan& span : FindPersonalData(text, name)) {
    out.append(text.data() + copied, span.begin - copied);
    out.append(MarkerOf(span.kind));
    copied = span.end;
  }
  out.append(text.data() + copied, text.size() - copied);
  return out;
}

}  // namespace complaints::intake
