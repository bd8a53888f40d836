// §2.2 information collected: contact details and proof of identity.
#include "services/intake/domain/contact.h"

#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace complaints::intake {
namespace {

TEST(Contact, MainlandMobileAndLandlineNumbersNormaliseToE164) {
  EXPECT_EQ(*NormalizePhone("phone", "13800138000"), "+8613800138000");
  EXPECT_EQ(*NormalizePhone("phone", "+86 138 0013 8000"), "+8613800138000");
  EXPECT_EQ(*NormalizePhone("phone", "021 6234 5678"), "+862162345678");
  EXPECT_EQ(*NormalizePhone("phone", "010-12345678"), "+861012345678");
}

// NormalizePhone's shortcut for plain mobile numbers answers as Parse does:
// every 11-digit number from 10 to 19, valid or not, including the carrier
// prefixes (1[12]xx, 179xx) CN's rules may strip.
TEST(Contact, PlainMobileNumbersNormaliseAsLibphonenumberParsesThem) {
  std::mt19937_64 random(20261207);
  int valid = 0;
  for (int i = 0; i < 20'000; ++i) {
    const std::string raw =
        absl::StrCat(10 + i % 10, random() % 1'000'000'000 + 1'000'000'000).substr(0, 11);
    const absl::StatusOr<std::string> fast = NormalizePhone("phone", raw);
    const absl::StatusOr<std::string> parsed = ParsePhone("phone", raw);
    ASSERT_EQ(fast.status(), parsed.status()) << raw;
    if (fast.ok()) {
      ASSERT_EQ(*fast, *parsed) << raw;
      ++valid;
    }
  }
  EXPECT_GT(valid, 5'000);  // the mobile ranges are well covered
  for (const char* raw : {"17951138000", "11808138000", "12593138000", "1380013800", "138001380001",
                          "13800138O00", "１３８００１３８０００"}) {
    EXPECT_EQ(NormalizePhone("phone", raw).status(), ParsePhone("phone", raw).status()) << raw;
    if (NormalizePhone("phone", raw).ok()) {
      EXPECT_EQ(*NormalizePhone("phone", raw), *ParsePhone("phone", raw)) << raw;
    }
  }
}

TEST(Contact, InternationalNumbersKeepTheirCountry) {
  EXPECT_EQ(*NormalizePhone("phone", "+44 20 7946 0958"), "+442079460958");
  EXPECT_EQ(*NormalizePhone("phone", "+1 212 555 1000"), "+12125551000");
}

TEST(Contact, InvalidNumbersNameTheField) {
  for (const char* bad : {"12345", "call me", "+86 999", ""}) {
    absl::StatusOr<std::string> phone = NormalizePhone("complainant.phone", bad);
    EXPECT_EQ(phone.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(phone.status().message(), "complainant.phone: not a valid phone number") << bad;
  }
}

TEST(Contact, EmailAddresses) {
  EXPECT_TRUE(IsPlausibleEmail("wang.fang@example.cn"));
  for (const char* bad :
       {"wang@", "@example.cn", "wang@@example.cn", "wang@example", "wang fang@example.cn"}) {
    EXPECT_FALSE(IsPlausibleEmail(bad)) << bad;
  }
}

TEST(Contact, ResidentIdCardCheckCharacterIsIso7064Mod112) {
  // The specimen number of GB 11643-1999: Beijing Chaoyang, born 31 Dec 1949, check X.
  EXPECT_EQ(ResidentIdCheckCharacter("11010519491231002"), 'X');
  EXPECT_TRUE(IsValidResidentId("11010519491231002X"));
  EXPECT_TRUE(IsValidResidentId("11010519491231002x"));
  EXPECT_FALSE(IsValidResidentId("110105194912310021"));  // wrong check character
  EXPECT_FALSE(IsValidResidentId("11010519491231002"));   // 17 characters
  EXPECT_FALSE(IsValidResidentId("1101051949123100AX"));  // letters in the digits
}

TEST(Contact, ResidentIdCardNeedsARealBirthDate) {
  std::string id = "11010519490230001";  // 30 February
  id.push_back(ResidentIdCheckCharacter(id));
  EXPECT_FALSE(IsValidResidentId(id));
  std::string good = "44030419900101001";
  good.push_back(ResidentIdCheckCharacter(good));
  EXPECT_TRUE(IsValidResidentId(good));
}

}  // namespace
}  // namespace complaints::intake
