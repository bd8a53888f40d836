#include "libs/core/text.h"

#include <cstdint>

#include "unicode/normalizer2.h"
#include "unicode/unistr.h"

namespace complaints {
namespace {

// Length of the UTF-8 sequence starting with `lead`, or 0 when it cannot start one.
size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return lead >= 0xC2 ? 2 : 0;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return lead <= 0xF4 ? 4 : 0;
  return 0;
}

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

bool IsValidUtf8(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = SequenceLength(static_cast<unsigned char>(text[i]));
    if (length == 0 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if (!IsContinuation(static_cast<unsigned char>(text[i + k]))) return false;
    }
    if (length == 3) {
      const auto b0 = static_cast<unsigned char>(text[i]);
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      if ((b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 >= 0xA0)) return false;
    }
    if (length == 4) {
      const auto b0 = static_cast<unsigned char>(text[i]);
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      if ((b0 == 0xF0 && b1 < 0x90) || (b0 == 0xF4 && b1 >= 0x90)) return false;
    }
    i += length;
  }
  return true;
}

size_t CodePointCount(absl::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) {
    if (!IsContinuation(c)) ++count;
  }
  return count;
}

std::string NormalizeForMatching(absl::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  icu::UnicodeString unicode =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString normalised = U_SUCCESS(status) ? nfkc->normalize(unicode, status) : unicode;
  if (U_FAILURE(status)) normalised = unicode;
  normalised.foldCase();
  std::string out;
  normalised.toUTF8String(out);
  return out;
}

}  // namespace complaints
