#include "services/dispatch/domain/route_features.h"

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "unicode/brkiter.h"
#include "unicode/locid.h"
#include "unicode/unistr.h"

namespace complaints::dispatch {
namespace {

// Word break iterators are costly to make: one per thread, reused.
icu::BreakIterator* WordBreaker() {
  thread_local std::unique_ptr<icu::BreakIterator> breaker = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> made(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    return U_SUCCESS(status) ? std::move(made) : nullptr;
  }();
  return breaker.get();
}

std::string Token(absl::string_view prefix, absl::string_view value) {
  std::string token = absl::StrCat(prefix, "=", value);
  for (char& c : token) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') c = '_';
  }
  return token;
}

}  // namespace

RouteCase RouteCaseOf(const v1::ComplaintView& view) {
  const v1::IntakeState& intake = view.intake();
  return {intake.content(), intake.category(), intake.location().community(), intake.channel(),
          intake.location().public_area()};
}

std::vector<std::string> Words(absl::string_view text) {
  std::vector<std::string> words;
  icu::BreakIterator* breaker = WordBreaker();
  if (breaker == nullptr || text.empty()) return words;
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  unicode.toLower(icu::Locale::getRoot());
  breaker->setText(unicode);
  int32_t start = breaker->first();
  for (int32_t end = breaker->next(); end != icu::BreakIterator::DONE;
       start = end, end = breaker->next()) {
    // Spaces and punctuation have the status UBRK_WORD_NONE (below 100).
    if (breaker->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;
    std::string word;
    unicode.tempSubStringBetween(start, end).toUTF8String(word);
    words.push_back(std::move(word));
  }
  return words;
}

std::string FeatureLine(const RouteCase& route_case) {
  std::vector<std::string> tokens = Words(route_case.content);
  if (!route_case.category.empty()) tokens.push_back(Token("cat", route_case.category));
  if (!route_case.community.empty()) tokens.push_back(Token("community", route_case.community));
  const std::vector<absl::string_view> parts =
      absl::StrSplit(route_case.area, ',', absl::SkipWhitespace());
  for (size_t i = parts.size() > 2 ? parts.size() - 2 : 0; i < parts.size(); ++i) {
    tokens.push_back(Token("place", absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[i]))));
  }
  tokens.push_back(Token("channel", v1::Channel_Name(route_case.channel)));
  return absl::StrJoin(tokens, " ");
}

}  // namespace complaints::dispatch
