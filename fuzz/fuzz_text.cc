// The text rule and the escaping of outside text: no input crashes them,
// cleaned text is UTF-8 without control characters (but LF and tab in
// multi-line text) and cleaning it again changes nothing, and escaped text
// holds no control character at all.
#include <cstdint>
#include <cstdlib>

#include "fuzz/require.h"
#include "libs/core/log.h"
#include "libs/core/text.h"

namespace {

using complaints::fuzz::Require;

bool HasControl(absl::string_view text, bool allow_line_breaks) {
  for (unsigned char c : text) {
    if (allow_line_breaks && (c == '\n' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace complaints;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  for (TextShape shape : {TextShape::kSingleLine, TextShape::kMultiLine}) {
    absl::StatusOr<std::string> cleaned = CleanText(text, shape);
    if (!cleaned.ok()) continue;
    Require(IsValidUtf8(*cleaned));
    Require(!HasControl(*cleaned, shape == TextShape::kMultiLine));
    absl::StatusOr<std::string> again = CleanText(*cleaned, shape);
    Require(again.ok() && *again == *cleaned);
  }
  const std::string prefix = EscapedPrefix(text, 40);
  Require(!HasControl(prefix, false) && IsValidUtf8(prefix));
  const std::string terminal = EscapeForTerminal(text);
  Require(!HasControl(terminal, false) && IsValidUtf8(terminal));
  Require(!HasControl(JsonEscape(text), false));
  (void)NormalizeForMatching(text);
  return 0;
}
