#pragma once
// Authenticated encryption of personal data (docs/architecture.md "Personal data",
// docs/security.md): XChaCha20-Poly1305 from libsodium under a
// per-complainant data key, data keys wrapped by a key-encryption key (KEK),
// and a keyed BLAKE2b hash for lookups that must not hold the value (a
// caller's phone number for deduplication). Pure apart from the random
// source, which is injected. Thread-safe.

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace complaints {

inline constexpr size_t kKeyBytes = 32;
inline constexpr size_t kNonceBytes = 24;
inline constexpr size_t kTagBytes = 16;
// A sealed value: format byte, nonce, ciphertext and tag.
inline constexpr size_t kSealOverhead = 1 + kNonceBytes + kTagBytes;

// libsodium initialised, once before any use (thread-safe; later calls
// return the first answer). It also picks the CPU's vectorised primitives.
// False: libsodium cannot run here.
bool SodiumReady();

// Fills `out` with `size` unpredictable bytes (libsodium's randombytes_buf by
// default; tests pass a seeded one).
using RandomSource = std::function<void(uint8_t* out, size_t size)>;
const RandomSource& SystemRandom();

// 32 secret bytes, wiped from memory when dropped.
class SecretKey {
 public:
  SecretKey() = default;
  // INVALID_ARGUMENT unless `bytes` holds exactly 32 bytes.
  static absl::StatusOr<SecretKey> FromBytes(absl::string_view bytes);
  static SecretKey Generate(const RandomSource& random = SystemRandom());
  SecretKey(const SecretKey& other) : bytes_(other.bytes_) {}
  SecretKey& operator=(const SecretKey& other);
  ~SecretKey();

  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(bytes_.data()); }
  absl::string_view bytes() const { return bytes_; }
  bool empty() const { return bytes_.empty(); }

 private:
  std::string bytes_;
};

// Seals `plaintext` under `key`, bound to `context` (e.g. "C1/name"): the
// sealed value opens only with the same key and context, so a value moved
// to another complaint or field does not open.
std::string Seal(const SecretKey& key, absl::string_view plaintext, absl::string_view context,
                 const RandomSource& random = SystemRandom());

// The plaintext of `sealed`. DATA_LOSS when it was not sealed under `key`
// for `context`, or was altered.
absl::StatusOr<std::string> Open(const SecretKey& key, absl::string_view sealed,
                                 absl::string_view context);

// A data key sealed under the KEK, bound to its owner (`subject`, e.g. the
// complainant's key id), and Unwrap's inverse.
std::string WrapKey(const SecretKey& kek, const SecretKey& data_key, absl::string_view subject,
                    const RandomSource& random = SystemRandom());
absl::StatusOr<SecretKey> UnwrapKey(const SecretKey& kek, absl::string_view wrapped,
                                    absl::string_view subject);

// BLAKE2b-256 of `value` keyed with `key`, as 64 lower-case hex digits:
// equal values give equal hashes, and without the key nobody can test a
// guess (a phone number) against one.
std::string KeyedHash(const SecretKey& key, absl::string_view value);

// An Ed25519 signing key made from a 32-byte seed (a NamedKey's key).
class SigningKey {
 public:
  explicit SigningKey(const SecretKey& seed);
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();
  std::string Sign(absl::string_view message) const;             // 64 bytes
  const std::string& public_key() const { return public_key_; }  // 32 bytes

 private:
  uint8_t secret_[64];
  std::string public_key_;
};
// Whether `signature` is `public_key`'s Ed25519 signature of `message`.
bool VerifySignature(absl::string_view public_key, absl::string_view message,
                     absl::string_view signature);

// BLAKE2b-256 of `value`, 32 raw bytes (the audit chain).
std::string Digest(absl::string_view value);

// A KEK and its id from a file or an environment variable holding
// "<key id> <64 hex digits>" (one line). INVALID_ARGUMENT naming the source
// and what is wrong; the key itself never appears in a message.
struct NamedKey {
  std::string id;
  SecretKey key;
};
absl::StatusOr<NamedKey> ParseNamedKey(absl::string_view source, absl::string_view text);

}  // namespace complaints
