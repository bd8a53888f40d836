#include "libs/core/text.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"
#include "unicode/utf8.h"

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

// Length of the well-formed sequence at text[i], or 0.
size_t WellFormedAt(absl::string_view text, size_t i) {
  const size_t length = SequenceLength(static_cast<unsigned char>(text[i]));
  if (length == 0 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if (!IsContinuation(static_cast<unsigned char>(text[i + k]))) return 0;
  }
  const auto b0 = static_cast<unsigned char>(text[i]);
  const auto b1 = length > 1 ? static_cast<unsigned char>(text[i + 1]) : 0;
  if (length == 3 && ((b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 >= 0xA0))) return 0;
  if (length == 4 && ((b0 == 0xF0 && b1 < 0x90) || (b0 == 0xF4 && b1 >= 0x90))) return 0;
  return length;
}

icu::UnicodeString Nfkc(absl::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString normalised = U_SUCCESS(status) ? nfkc->normalize(unicode, status) : unicode;
  return U_FAILURE(status) ? unicode : normalised;
}

bool IsSeparator(UChar32 c) {
  const int8_t type = u_charType(c);
  return type == U_LINE_SEPARATOR || type == U_PARAGRAPH_SEPARATOR;
}

void AppendCodePoint(std::string& out, UChar32 c) {
  char bytes[U8_MAX_LENGTH];
  int32_t length = 0;
  UBool error = false;
  U8_APPEND(bytes, length, U8_MAX_LENGTH, c, error);
  if (!error) out.append(bytes, static_cast<size_t>(length));
}

}  // namespace

bool IsValidUtf8(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = WellFormedAt(text, i);
    if (length == 0) return false;
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

namespace {

// Printable ASCII, with tabs and line feeds in multi-line text, is its own
// NFKC and holds nothing the rule removes, changes or refuses: it is clean
// as it is, without the trip through ICU (most fields are plain ASCII: keys,
// numbers, codes).
bool CleanAsItIs(absl::string_view text, TextShape shape) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) continue;
    if (shape == TextShape::kMultiLine && (c == '\n' || c == '\t')) continue;
    return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> CleanText(absl::string_view text, TextShape shape) {
  if (CleanAsItIs(text, shape)) return std::string(text);
  if (!IsValidUtf8(text)) return absl::InvalidArgumentError("not valid UTF-8");
  std::string normalised;
  Nfkc(text).toUTF8String(normalised);
  std::string out;
  out.reserve(normalised.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(normalised.data());
  const auto length = static_cast<int32_t>(normalised.size());
  size_t position = 0;  // in characters, for the message
  for (int32_t i = 0; i < length; ++position) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (u_charType(c) == U_FORMAT_CHAR) continue;
    const bool line_break = c == '\n' || c == '\r' || IsSeparator(c);
    if (shape == TextShape::kMultiLine && (line_break || c == '\t')) {
      if (c == '\r' && i < length && bytes[i] == '\n') continue;  // CR LF: the LF follows
      out.push_back(c == '\t' ? '\t' : '\n');
      continue;
    }
    if (u_charType(c) == U_CONTROL_CHAR || IsSeparator(c)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "control character U+%04X at character %d is not allowed%s", c, position + 1,
          shape == TextShape::kSingleLine ? " (single-line text)" : ""));
    }
    AppendCodePoint(out, c);
  }
  return out;
}

std::string NormalizeForMatching(absl::string_view text) {
  std::string out;
  Nfkc(text).foldCase().toUTF8String(out);
  return out;
}

namespace {

enum class Quotes { kEscape, kKeep };

std::string Escape(absl::string_view text, size_t max_chars, Quotes quotes) {
  std::string out;
  size_t chars = 0;
  size_t i = 0;
  for (; i < text.size() && chars < max_chars; ++chars) {
    const size_t length = WellFormedAt(text, i);
    if (length == 0) {
      absl::StrAppendFormat(&out, "\\x%02X", static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    UChar32 c = 0;
    int32_t at = 0;
    U8_NEXT(reinterpret_cast<const uint8_t*>(text.data() + i), at, static_cast<int32_t>(length), c);
    const int8_t type = u_charType(c);
    if (quotes == Quotes::kEscape && (c == '"' || c == '\\')) {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || IsSeparator(c) ||
               type == U_UNASSIGNED || type == U_PRIVATE_USE_CHAR || type == U_SURROGATE) {
      absl::StrAppendFormat(&out, "\\u{%04X}", c);
    } else {
      out.append(text.data() + i, length);
    }
    i += length;
  }
  if (i < text.size()) out.append("…");
  return out;
}

}  // namespace

std::string EscapedPrefix(absl::string_view text, size_t max_chars) {
  return Escape(text, max_chars, Quotes::kEscape);
}

std::string EscapeForTerminal(absl::string_view text) {
  return Escape(text, text.size(), Quotes::kKeep);
}

}  // namespace complaints
