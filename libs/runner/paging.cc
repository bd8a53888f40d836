#include "libs/runner/paging.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace complaints {

absl::StatusOr<size_t> CheckPageSize(absl::string_view field, int size, PageSize limits) {
  if (size < 0 || size > limits.max) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be between 0 and ", limits.max));
  }
  return static_cast<size_t>(size == 0 ? limits.fallback : size);
}

std::string PageToken(absl::string_view last_key) { return absl::BytesToHexString(last_key); }

absl::StatusOr<std::string> ResumeKey(absl::string_view token, absl::string_view prefix,
                                      absl::string_view first) {
  if (token.empty()) return std::string(first);
  const bool hex = token.size() % 2 == 0 && token.size() <= 1024 &&
                   token.find_first_not_of("0123456789abcdef") == absl::string_view::npos;
  const std::string key = hex ? absl::HexStringToBytes(token) : "";
  if (!hex || !absl::StartsWith(key, prefix)) {
    return absl::InvalidArgumentError("page_token: not a token this listing gave");
  }
  return absl::StrCat(key, absl::string_view("\0", 1));
}

}  // namespace complaints
