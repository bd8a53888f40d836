#include "libs/crypto/digest.h"

#include <sodium.h>

namespace complaints {

namespace {

std::string Hex(const unsigned char (&digest)[crypto_hash_sha256_BYTES]) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * sizeof(digest));
  for (unsigned char byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0xF];
  }
  return hex;
}

}  // namespace

std::string Sha256Hex(absl::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return Hex(digest);
}

struct Sha256Stream::State {
  crypto_hash_sha256_state sodium;
};

Sha256Stream::Sha256Stream() : state_(std::make_unique<State>()) {
  crypto_hash_sha256_init(&state_->sodium);
}

Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::Add(absl::string_view bytes) {
  crypto_hash_sha256_update(&state_->sodium, reinterpret_cast<const unsigned char*>(bytes.data()),
                            bytes.size());
}

std::string Sha256Stream::HexDigest() {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state_->sodium, digest);
  return Hex(digest);
}

}  // namespace complaints
