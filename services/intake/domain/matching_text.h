#pragma once
// §2.3 the text the classifier reads: how a complaint is spelt must not change
// what it is about (docs/procedure.md §2.3). The stored text stays as written;
// only the classifier's copy is folded, in this order:
//  1. Unicode NFKC with case folding, which also drops every
//     Default_Ignorable_Code_Point (zero-width characters, variation
//     selectors, the combining grapheme joiner, Hangul fillers, tags);
//  2. combining marks are dropped (an accent or a mark stacked on a
//     character: f\u0301ire reads as fire);
//  3. traditional Chinese characters become simplified (ICU's Hant-Hans
//     table, character by character) and variant characters (Japanese forms,
//     radical forms) fold to the common one;
//  4. Latin look-alikes from other scripts (Cyrillic е, Greek ο) become the
//     Latin letter (ICU's confusable skeletons);
//  5. blank glyphs that are not ignorable (braille blank) are dropped, and
//     every other kind of space is one space;
//  6. spaces, dashes, dots and symbols between two CJK characters are
//     dropped (电 梯 / 电-梯 read 电梯), and single Latin letters spaced out
//     are joined (f i r e reads fire; two spaces or more end a word);
//  7. runs of spaces become one.
// Thread-safe; the tables are built on first use.

#include <string>

#include "absl/strings/string_view.h"

namespace complaints::intake {

// The folded text, one char32_t per code point. Invalid UTF-8 becomes U+FFFD.
std::u32string FoldForMatching(absl::string_view text);

// UTF-8 of folded text (for explanations).
std::string Utf8(std::u32string_view text);

// True for the ideographs, kana, Hangul and bopomofo of CJK writing.
bool IsCjk(char32_t c);
// True for a letter or digit (any script).
bool IsWordCharacter(char32_t c);

}  // namespace complaints::intake
