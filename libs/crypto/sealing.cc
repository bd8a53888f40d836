#include "libs/crypto/sealing.h"

#include <sodium.h>

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace complaints {
namespace {

constexpr char kFormat = 0x01;  // XChaCha20-Poly1305, nonce first

const uint8_t* Bytes(absl::string_view text) {
  return reinterpret_cast<const uint8_t*>(text.data());
}

}  // namespace

bool SodiumReady() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

const RandomSource& SystemRandom() {
  static const RandomSource* const kRandom = new RandomSource([](uint8_t* out, size_t size) {
    (void)SodiumReady();
    randombytes_buf(out, size);
  });
  return *kRandom;
}

absl::StatusOr<SecretKey> SecretKey::FromBytes(absl::string_view bytes) {
  if (bytes.size() != kKeyBytes) {
    return absl::InvalidArgumentError(absl::StrCat("a key is ", kKeyBytes, " bytes"));
  }
  SecretKey key;
  key.bytes_.assign(bytes.data(), bytes.size());
  return key;
}

SecretKey SecretKey::Generate(const RandomSource& random) {
  SecretKey key;
  key.bytes_.resize(kKeyBytes);
  random(reinterpret_cast<uint8_t*>(key.bytes_.data()), kKeyBytes);
  return key;
}

SecretKey& SecretKey::operator=(const SecretKey& other) {
  if (this != &other) {
    if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
    bytes_ = other.bytes_;
  }
  return *this;
}

SecretKey::~SecretKey() {
  if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
}

std::string Seal(const SecretKey& key, absl::string_view plaintext, absl::string_view context,
                 const RandomSource& random) {
  (void)SodiumReady();
  std::string sealed(kSealOverhead + plaintext.size(), '\0');
  sealed[0] = kFormat;
  auto* nonce = reinterpret_cast<uint8_t*>(sealed.data() + 1);
  random(nonce, kNonceBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<uint8_t*>(sealed.data() + 1 + kNonceBytes), &written, Bytes(plaintext),
      plaintext.size(), Bytes(context), context.size(), nullptr, nonce, key.data());
  sealed.resize(1 + kNonceBytes + written);
  return sealed;
}

absl::StatusOr<std::string> Open(const SecretKey& key, absl::string_view sealed,
                                 absl::string_view context) {
  (void)SodiumReady();
  if (key.empty() || sealed.size() < kSealOverhead || sealed[0] != kFormat) {
    return absl::DataLossError("sealed value: not one this platform sealed");
  }
  const absl::string_view nonce = sealed.substr(1, kNonceBytes);
  const absl::string_view cipher = sealed.substr(1 + kNonceBytes);
  std::string plain(cipher.size() - kTagBytes, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<uint8_t*>(plain.data()), &written, nullptr, Bytes(cipher), cipher.size(),
          Bytes(context), context.size(), Bytes(nonce), key.data()) != 0) {
    return absl::DataLossError(
        "sealed value: does not open with this key for this place (wrong key, moved or altered)");
  }
  plain.resize(written);
  return plain;
}

std::string WrapKey(const SecretKey& kek, const SecretKey& data_key, absl::string_view subject,
                    const RandomSource& random) {
  return Seal(kek, data_key.bytes(), absl::StrCat("data-key:", subject), random);
}

absl::StatusOr<SecretKey> UnwrapKey(const SecretKey& kek, absl::string_view wrapped,
                                    absl::string_view subject) {
  absl::StatusOr<std::string> bytes = Open(kek, wrapped, absl::StrCat("data-key:", subject));
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<SecretKey> key = SecretKey::FromBytes(*bytes);
  sodium_memzero(bytes->data(), bytes->size());
  return key;
}

std::string KeyedHash(const SecretKey& key, absl::string_view value) {
  (void)SodiumReady();
  uint8_t digest[32];
  crypto_generichash(digest, sizeof digest, Bytes(value), value.size(), key.data(), kKeyBytes);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

SigningKey::SigningKey(const SecretKey& seed) {
  (void)SodiumReady();
  uint8_t public_key[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_seed_keypair(public_key, secret_, seed.data());
  public_key_.assign(reinterpret_cast<const char*>(public_key), sizeof public_key);
}

SigningKey::~SigningKey() { sodium_memzero(secret_, sizeof secret_); }

std::string SigningKey::Sign(absl::string_view message) const {
  uint8_t signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr, Bytes(message), message.size(), secret_);
  return std::string(reinterpret_cast<const char*>(signature), sizeof signature);
}

bool VerifySignature(absl::string_view public_key, absl::string_view message,
                     absl::string_view signature) {
  (void)SodiumReady();
  return public_key.size() == crypto_sign_PUBLICKEYBYTES && signature.size() == crypto_sign_BYTES &&
         crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(),
                                     Bytes(public_key)) == 0;
}

std::string Digest(absl::string_view value) {
  (void)SodiumReady();
  uint8_t digest[32];
  crypto_generichash(digest, sizeof digest, Bytes(value), value.size(), nullptr, 0);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

absl::StatusOr<NamedKey> ParseNamedKey(absl::string_view source, absl::string_view text) {
  std::vector<absl::string_view> parts =
      absl::StrSplit(absl::StripAsciiWhitespace(text), ' ', absl::SkipEmpty());
  if (parts.size() != 2) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": one line \"<key id> <64 hex digits>\""));
  }
  const absl::string_view id = parts[0];
  if (id.size() > 64 || !std::all_of(id.begin(), id.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
               c == '.';
      })) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": key id: letters, digits, '-', '_', '.', at most 64"));
  }
  const absl::string_view hex = parts[1];
  if (hex.size() != 2 * kKeyBytes || !std::all_of(hex.begin(), hex.end(), [](char c) {
        return absl::ascii_isxdigit(static_cast<unsigned char>(c));
      })) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": key: 64 hexadecimal digits"));
  }
  std::string bytes = absl::HexStringToBytes(hex);
  absl::StatusOr<SecretKey> key = SecretKey::FromBytes(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  if (!key.ok()) return key.status();
  return NamedKey{std::string(id), *std::move(key)};
}

}  // namespace complaints
