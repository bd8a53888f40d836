#pragma once
// Content digests: what names an evidence file, a routing model.

#include <memory>
#include <string>

#include "absl/strings/string_view.h"

namespace complaints {

// SHA-256 of `bytes` in lower-case hex (libsodium).
std::string Sha256Hex(absl::string_view bytes);

// SHA-256 of bytes that arrive in pieces (an upload), without holding them.
// Not thread-safe.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void Add(absl::string_view bytes);
  // Lower-case hex of everything added; the stream is spent afterwards.
  std::string HexDigest();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace complaints
