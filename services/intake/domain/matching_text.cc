#include "services/intake/domain/matching_text.h"

#include <memory>
#include <unordered_map>

#include "unicode/normalizer2.h"
#include "unicode/translit.h"
#include "unicode/uchar.h"
#include "unicode/uniset.h"
#include "unicode/uscript.h"
#include "unicode/usetiter.h"
#include "unicode/uspoof.h"
#include "unicode/ustring.h"
#include "unicode/utf16.h"

namespace complaints::intake {
namespace {

// Variant characters ICU's Hant-Hans table leaves as they are: Japanese
// forms, CJK radical forms (U+2E80 block, which NFKC does not map) and old
// variants, each to the character a simplified-Chinese writer uses.
constexpr std::pair<char32_t, char32_t> kVariants[] = {
    {U'気', U'气'}, {U'炁', U'气'}, {U'焼', U'烧'}, {U'焔', U'焰'}, {U'燄', U'焰'}, {U'菸', U'烟'},
    {U'竈', U'灶'}, {U'険', U'险'}, {U'壊', U'坏'}, {U'圧', U'压'}, {U'単', U'单'}, {U'団', U'团'},
    {U'図', U'图'}, {U'黒', U'黑'}, {U'転', U'转'}, {U'売', U'卖'}, {U'拡', U'扩'}, {U'両', U'两'},
    {U'乗', U'乘'}, {U'戸', U'户'}, {U'歩', U'步'}, {U'毎', U'每'}, {U'涙', U'泪'}, {U'著', U'着'},
    {U'裡', U'里'}, {U'裏', U'里'}, {U'綫', U'线'}, {U'峯', U'峰'}, {U'羣', U'群'}, {U'衆', U'众'},
    {U'爲', U'为'}, {U'牀', U'床'}, {U'箇', U'个'}, {U'衞', U'卫'}, {U'⻔', U'门'}, {U'⻓', U'长'},
    {U'⻋', U'车'}, {U'⻜', U'飞'}, {U'⻢', U'马'}, {U'⻛', U'风'}, {U'⻉', U'贝'}, {U'⻅', U'见'},
    {U'⻆', U'角'}, {U'⻈', U'讠'}, {U'⻊', U'足'}, {U'⻍', U'辶'}, {U'⻌', U'辶'}, {U'⻘', U'青'},
    {U'⻙', U'韦'}, {U'⻚', U'页'}, {U'⻣', U'骨'}, {U'⻥', U'鱼'}, {U'⻦', U'鸟'}, {U'⻨', U'麦'},
    {U'⻩', U'黄'}, {U'⻬', U'齐'}, {U'⻮', U'齿'}, {U'⻳', U'龟'}, {U'⺮', U'竹'}, {U'⺡', U'氵'},
    {U'⺣', U'灬'}, {U'⺶', U'羊'}, {U'⺼', U'月'}, {U'⻗', U'雨'},
};

// Blank glyphs outside Default_Ignorable_Code_Point that render as nothing.
bool IsBlankGlyph(char32_t c) {
  return c == 0x2800 /* braille blank */ || c == 0x3164 || c == 0xFFA0 || c == 0x115F ||
         c == 0x1160 || c == 0x17B4 || c == 0x17B5 || c == 0x180E || c == 0x1D159 ||
         (c >= 0x1D173 && c <= 0x1D17A);
}

// Scripts whose letters include Latin look-alikes worth folding.
bool MayLookLatin(char32_t c) {
  return (c >= 0x0100 && c <= 0x058F) || (c >= 0x13A0 && c <= 0x13FF) ||
         (c >= 0x1D00 && c <= 0x1DBF) || (c >= 0xA640 && c <= 0xA69F) ||
         (c >= 0xAB70 && c <= 0xABBF);
}

class Tables {
 public:
  Tables() {
    UErrorCode status = U_ZERO_ERROR;
    nfkc_casefold_ = icu::Normalizer2::getNFKCCasefoldInstance(status);
    nfd_ = icu::Normalizer2::getNFDInstance(status);
    nfc_ = icu::Normalizer2::getNFCInstance(status);
    std::unique_ptr<icu::Transliterator> hant_hans(
        icu::Transliterator::createInstance("Hant-Hans", UTRANS_FORWARD, status));
    if (U_SUCCESS(status) && hant_hans != nullptr) {
      icu::UnicodeSet source;
      hant_hans->getSourceSet(source);
      for (icu::UnicodeSetIterator it(source); it.next();) {
        if (it.isString()) continue;
        const UChar32 c = it.getCodepoint();
        icu::UnicodeString one(c);
        hant_hans->transliterate(one);
        if (one.countChar32() == 1 && one.char32At(0) != c) fold_[c] = one.char32At(0);
      }
    }
    for (const auto& [variant, common] : kVariants) fold_[variant] = common;
    USpoofChecker* spoof = uspoof_open(&status);
    const auto add_lookalike = [&](char32_t c) {
      if (!u_isalpha(c) || u_getIntPropertyValue(c, UCHAR_SCRIPT) == USCRIPT_LATIN) return;
      UErrorCode error = U_ZERO_ERROR;
      UChar in[2];
      int32_t length = 0;
      U16_APPEND_UNSAFE(in, length, c);
      UChar out[8];
      const int32_t n = uspoof_getSkeleton(spoof, 0, in, length, out, 8, &error);
      if (U_SUCCESS(error) && n == 1 && out[0] >= 'A' && out[0] <= 'z' && u_isalpha(out[0])) {
        fold_[c] = u_tolower(out[0]);
      }
    };
    if (spoof != nullptr) {
      for (char32_t c = 0x0100; c <= 0xABBF; ++c) {
        if (MayLookLatin(c)) add_lookalike(c);
      }
      uspoof_close(spoof);
    }
  }

  // Steps 1 and 2: NFKC with case folding, then without combining marks.
  icu::UnicodeString Normalize(absl::string_view text) const {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString input = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    icu::UnicodeString folded = nfkc_casefold_->normalize(input, status);
    if (U_FAILURE(status)) return input;
    if (nfd_->isNormalized(folded, status) && !HasMarks(folded)) return folded;
    icu::UnicodeString decomposed = nfd_->normalize(folded, status);
    icu::UnicodeString unmarked;
    for (int32_t i = 0; i < decomposed.length();) {
      const UChar32 c = decomposed.char32At(i);
      i += U16_LENGTH(c);
      const int8_t type = u_charType(c);
      if (type != U_NON_SPACING_MARK && type != U_ENCLOSING_MARK) unmarked.append(c);
    }
    icu::UnicodeString composed = nfc_->normalize(unmarked, status);
    return U_FAILURE(status) ? unmarked : composed;
  }

  char32_t Fold(char32_t c) const {
    auto it = fold_.find(c);
    return it == fold_.end() ? c : it->second;
  }

 private:
  static bool HasMarks(const icu::UnicodeString& text) {
    for (int32_t i = 0; i < text.length();) {
      const UChar32 c = text.char32At(i);
      i += U16_LENGTH(c);
      const int8_t type = u_charType(c);
      if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) return true;
    }
    return false;
  }

  const icu::Normalizer2* nfkc_casefold_ = nullptr;
  const icu::Normalizer2* nfd_ = nullptr;
  const icu::Normalizer2* nfc_ = nullptr;
  std::unordered_map<char32_t, char32_t> fold_;
};

const Tables& GetTables() {
  static const Tables* tables = new Tables();
  return *tables;
}

bool IsSpace(char32_t c) { return c == U' ' || u_isUWhiteSpace(static_cast<UChar32>(c)); }

// What may stand between two characters of one CJK word without changing it:
// spaces, dashes, connectors, dots and symbols — not the marks that end a
// clause (，。、；：！？), nor brackets.
bool IsGap(char32_t c) {
  if (IsSpace(c)) return true;
  switch (u_charType(static_cast<UChar32>(c))) {
    case U_DASH_PUNCTUATION:
    case U_CONNECTOR_PUNCTUATION:
    case U_MATH_SYMBOL:
    case U_CURRENCY_SYMBOL:
    case U_MODIFIER_SYMBOL:
    case U_OTHER_SYMBOL:
      return true;
    case U_OTHER_PUNCTUATION:
      return c != U',' && c != U'.' && c != U';' && c != U':' && c != U'!' && c != U'?' &&
             c != U'。' && c != U'、' && c != U'｡';
    default:
      return false;
  }
}

bool IsLatinLetter(char32_t c) { return c >= U'a' && c <= U'z'; }

// Step 6b: "f i r e", "f.i.r.e", "f-i-r-e" become "fire" (two letters or
// more, one character between each; two or more end the word).
std::u32string JoinSpacedLetters(const std::u32string& text) {
  const auto isolated = [&](size_t at) {
    return at < text.size() && IsLatinLetter(text[at]) &&
           (at == 0 || !IsWordCharacter(text[at - 1])) &&
           (at + 1 >= text.size() || !IsWordCharacter(text[at + 1]));
  };
  const auto joins = [](char32_t c) {
    return IsSpace(c) || c == U'.' || c == U'-' || c == U'_' || c == U'*' || c == U'·';
  };
  std::u32string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t end = i + 1;
    std::u32string word(1, text[i]);
    if (isolated(i)) {
      while (end + 1 < text.size() && joins(text[end]) && isolated(end + 1)) {
        word.push_back(text[end + 1]);
        end += 2;
      }
    }
    if (word.size() >= 2) {
      out += word;
      i = end;
    } else {
      out.push_back(text[i++]);
    }
  }
  return out;
}

}  // namespace

bool IsCjk(char32_t c) {
  const UScriptCode script =
      static_cast<UScriptCode>(u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_SCRIPT));
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
         script == USCRIPT_HANGUL || script == USCRIPT_BOPOMOFO;
}

bool IsWordCharacter(char32_t c) { return u_isalnum(static_cast<UChar32>(c)) != 0; }

std::u32string FoldForMatching(absl::string_view text) {
  const Tables& tables = GetTables();
  const icu::UnicodeString normalized = tables.Normalize(text);
  // Steps 3–5, one code point at a time.
  std::u32string folded;
  folded.reserve(static_cast<size_t>(normalized.length()));
  for (int32_t i = 0; i < normalized.length();) {
    const UChar32 c = normalized.char32At(i);
    i += U16_LENGTH(c);
    const int8_t type = u_charType(c);
    if (IsBlankGlyph(static_cast<char32_t>(c)) || type == U_PRIVATE_USE_CHAR ||
        type == U_UNASSIGNED || type == U_FORMAT_CHAR || type == U_SURROGATE) {
      continue;
    }
    if (IsSpace(static_cast<char32_t>(c)) || type == U_CONTROL_CHAR) {
      folded.push_back(U' ');
      continue;
    }
    folded.push_back(tables.Fold(static_cast<char32_t>(c)));
  }
  folded = JoinSpacedLetters(folded);
  // Step 6a: gaps inside CJK words, and step 7: runs of spaces.
  std::u32string joined;
  joined.reserve(folded.size());
  for (size_t i = 0; i < folded.size();) {
    if (!IsGap(folded[i])) {
      joined.push_back(folded[i++]);
      continue;
    }
    size_t end = i;
    while (end < folded.size() && IsGap(folded[end])) ++end;
    const bool inside_cjk =
        !joined.empty() && IsCjk(joined.back()) && end < folded.size() && IsCjk(folded[end]);
    if (!inside_cjk) {
      for (size_t k = i; k < end; ++k) {
        if (folded[k] != U' ' || joined.empty() || joined.back() != U' ') {
          joined.push_back(folded[k]);
        }
      }
    }
    i = end;
  }
  return joined;
}

std::string Utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

}  // namespace complaints::intake
