#include "libs/crypto/sealing.h"

#include <set>

#include "gtest/gtest.h"

namespace complaints {
namespace {

// A seeded source: the same bytes every run (nonces and keys in tests).
RandomSource Seeded(uint8_t seed) {
  return [state = seed](uint8_t* out, size_t size) mutable {
    for (size_t i = 0; i < size; ++i) out[i] = state = static_cast<uint8_t>(state * 37 + 11);
  };
}

TEST(SealingTest, ASealedValueOpensOnlyWithItsKeyAndContext) {
  const SecretKey key = SecretKey::Generate(Seeded(1));
  const std::string sealed = Seal(key, "王芳 13800138000", "C1/complainant");
  EXPECT_EQ(sealed.size(), kSealOverhead + std::string("王芳 13800138000").size());
  EXPECT_EQ(sealed.find("13800138000"), std::string::npos) << "no plaintext in the sealed bytes";
  absl::StatusOr<std::string> opened = Open(key, sealed, "C1/complainant");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "王芳 13800138000");

  EXPECT_EQ(Open(SecretKey::Generate(Seeded(2)), sealed, "C1/complainant").status().code(),
            absl::StatusCode::kDataLoss)
      << "another key";
  EXPECT_EQ(Open(key, sealed, "C2/complainant").status().code(), absl::StatusCode::kDataLoss)
      << "moved to another complaint";
  std::string altered = sealed;
  altered[altered.size() / 2] ^= 1;
  EXPECT_EQ(Open(key, altered, "C1/complainant").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Open(key, "short", "C1/complainant").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Open(SecretKey(), sealed, "C1/complainant").status().code(),
            absl::StatusCode::kDataLoss)
      << "an erased key opens nothing";
}

TEST(SealingTest, EverySealHasItsOwnNonce) {
  const SecretKey key = SecretKey::Generate();
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(Seal(key, "same", "C1/name"));
  EXPECT_EQ(seen.size(), 100u) << "the same value sealed twice looks different";
}

TEST(SealingTest, DataKeysAreWrappedForTheirOwnerOnly) {
  const SecretKey kek = SecretKey::Generate(Seeded(3));
  const SecretKey data = SecretKey::Generate(Seeded(4));
  const std::string wrapped = WrapKey(kek, data, "K1");
  absl::StatusOr<SecretKey> unwrapped = UnwrapKey(kek, wrapped, "K1");
  ASSERT_TRUE(unwrapped.ok());
  EXPECT_EQ(unwrapped->bytes(), data.bytes());
  EXPECT_FALSE(UnwrapKey(kek, wrapped, "K2").ok()) << "another owner's record";
  EXPECT_FALSE(UnwrapKey(SecretKey::Generate(Seeded(5)), wrapped, "K1").ok()) << "another KEK";
}

TEST(SealingTest, KeyedHashesMatchEqualValuesAndNeedTheKey) {
  const SecretKey key = SecretKey::Generate(Seeded(6));
  const std::string hash = KeyedHash(key, "+8613800138000");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash, KeyedHash(key, "+8613800138000"));
  EXPECT_NE(hash, KeyedHash(key, "+8613800138001"));
  EXPECT_NE(hash, KeyedHash(SecretKey::Generate(Seeded(7)), "+8613800138000"));
}

TEST(SealingTest, NamedKeysAreReadFromOneLineAndNeverQuoted) {
  const std::string hex(64, 'a');
  absl::StatusOr<NamedKey> named = ParseNamedKey("--kek_file k", "kek-2026 " + hex + "\n");
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(named->id, "kek-2026");
  EXPECT_EQ(named->key.bytes(), std::string(32, '\xaa'));
  for (const std::string& bad :
       {hex, std::string("kek ") + std::string(63, 'a'), std::string("kek ") + std::string(64, 'z'),
        std::string("k/1 ") + hex}) {
    absl::StatusOr<NamedKey> refused = ParseNamedKey("--kek_file k", bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(refused.status().message().find(std::string(20, 'a')), std::string::npos)
        << "the key is not echoed";
  }
}

}  // namespace
}  // namespace complaints
