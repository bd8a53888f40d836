#pragma once
// Content digests: what names an evidence file, a routing model.

#include <string>

#include "absl/strings/string_view.h"

namespace complaints {

// SHA-256 of `bytes` in lower-case hex (libsodium).
std::string Sha256Hex(absl::string_view bytes);

}  // namespace complaints
