// §2.2 information collected: contact details and proof of identity.
#include "services/intake/domain/contact.h"

#include "gtest/gtest.h"

namespace complaints::intake {
namespace {

TEST(Contact, MainlandMobileAndLandlineNumbersNormaliseToE164) {
  EXPECT_EQ(*NormalizePhone("phone", "13800138000"), "+8613800138000");
  EXPECT_EQ(*NormalizePhone("phone", "+86 138 0013 8000"), "+8613800138000");
  EXPECT_EQ(*NormalizePhone("phone", "021 6234 5678"), "+862162345678");
  EXPECT_EQ(*NormalizePhone("phone", "010-12345678"), "+861012345678");
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
