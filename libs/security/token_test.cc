#include "libs/security/token.h"

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "libs/testing/fake_clock.h"

namespace complaints {
namespace {

NamedKey TestKey(const std::string& id, char fill) {
  return NamedKey{id, *SecretKey::FromBytes(std::string(kKeyBytes, fill))};
}

v1::Principal Analyst() {
  v1::Principal principal;
  principal.set_identity("staff/he");
  principal.add_roles(v1::ROLE_ANALYST);
  return principal;
}

TEST(Token, ATokenNamesItsHolderAndRolesUntilItExpires) {
  testing::FakeClock clock{absl::FromUnixSeconds(1'800'000'000)};
  const TokenIssuer issuer(TestKey("tok-1", 'a'), &clock);
  absl::StatusOr<v1::IssueTokenResponse> issued = issuer.Issue(Analyst(), absl::Minutes(15));
  ASSERT_TRUE(issued.ok()) << issued.status();
  const std::map<std::string, std::string> keys = {{"tok-1", issuer.public_key()}};
  absl::StatusOr<v1::AccessToken> claims = VerifyToken(keys, issued->token(), clock.Now());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->identity(), "staff/he");
  ASSERT_EQ(claims->roles_size(), 1);
  EXPECT_EQ(claims->roles(0), v1::ROLE_ANALYST);
  EXPECT_TRUE(VerifyToken(keys, issued->token(), clock.Now() + absl::Minutes(14)).ok());
  const absl::Status late =
      VerifyToken(keys, issued->token(), clock.Now() + absl::Minutes(15)).status();
  EXPECT_EQ(late.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(late.message().find("expired"), absl::string_view::npos);
}

TEST(Token, AForgedAlteredOrForeignTokenIsRefused) {
  testing::FakeClock clock{absl::FromUnixSeconds(1'800'000'000)};
  const TokenIssuer issuer(TestKey("tok-1", 'a'), &clock);
  const TokenIssuer other(TestKey("tok-1", 'b'), &clock);
  const std::map<std::string, std::string> keys = {{"tok-1", issuer.public_key()}};
  const std::string token = issuer.Issue(Analyst(), absl::Minutes(15))->token();
  // Another key under the same id: the signature does not match.
  EXPECT_EQ(VerifyToken(keys, other.Issue(Analyst(), absl::Minutes(15))->token(), clock.Now())
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  // A payload promoted to manager, re-encoded, keeping the old signature.
  v1::AccessToken claims;
  std::string payload;
  const size_t dot = token.find('.', 4);
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token.substr(4, dot - 4), &payload));
  ASSERT_TRUE(claims.ParseFromString(payload));
  claims.set_roles(0, v1::ROLE_MANAGER);
  const std::string forged =
      "ct1." + absl::WebSafeBase64Escape(claims.SerializeAsString()) + token.substr(dot);
  EXPECT_NE(VerifyToken(keys, forged, clock.Now()).status().message().find("signature"),
            absl::string_view::npos);
  EXPECT_FALSE(VerifyToken({}, token, clock.Now()).ok()) << "unknown key";
  for (const char* junk : {"", "ct1.", "ct1.a.b.c", "bearer xyz", "ct1.!!!.???"}) {
    EXPECT_EQ(VerifyToken(keys, junk, clock.Now()).status().code(),
              absl::StatusCode::kUnauthenticated)
        << junk;
  }
  EXPECT_EQ(issuer.Issue(Analyst(), absl::Hours(2)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace complaints
