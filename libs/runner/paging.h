#pragma once
// Page tokens for listings over a store key range: the last key served,
// hex-encoded (keys hold bytes a proto string may not). Pure.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace complaints {

struct PageSize {
  int fallback;  // for 0
  int max;
};

// INVALID_ARGUMENT naming `field` unless 0 <= size <= limits.max; 0 gives the fallback.
absl::StatusOr<size_t> CheckPageSize(absl::string_view field, int size, PageSize limits);

std::string PageToken(absl::string_view last_key);

// The key to resume from: just after the token's key. INVALID_ARGUMENT
// ("page_token: ...") when the token is not one PageToken made, or its key
// does not start with `prefix`. An empty token gives `first`.
absl::StatusOr<std::string> ResumeKey(absl::string_view token, absl::string_view prefix,
                                      absl::string_view first);

}  // namespace complaints
