#include "libs/security/token.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/core/time_util.h"

namespace complaints {
namespace {

constexpr char kPrefix[] = "ct1.";

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("token: ", why));
}

}  // namespace

TokenIssuer::TokenIssuer(const NamedKey& key, const Clock* clock)
    : key_id_(key.id), signing_(key.key), clock_(clock) {}

absl::StatusOr<v1::IssueTokenResponse> TokenIssuer::Issue(const v1::Principal& principal,
                                                          absl::Duration ttl) const {
  if (ttl < absl::Minutes(1) || ttl > kMaxTokenTtl) {
    return absl::InvalidArgumentError("ttl_minutes: 1 to 60");
  }
  const absl::Time now = clock_->Now();
  v1::AccessToken claims;
  claims.set_key_id(key_id_);
  claims.set_identity(principal.identity());
  *claims.mutable_roles() = principal.roles();
  *claims.mutable_issued_at() = ToProto(now);
  *claims.mutable_expires_at() = ToProto(now + ttl);
  const std::string payload = claims.SerializeAsString();
  v1::IssueTokenResponse response;
  response.set_token(absl::StrCat(kPrefix, absl::WebSafeBase64Escape(payload), ".",
                                  absl::WebSafeBase64Escape(signing_.Sign(payload))));
  *response.mutable_expires_at() = claims.expires_at();
  return response;
}

absl::StatusOr<v1::AccessToken> VerifyToken(const std::map<std::string, std::string>& public_keys,
                                            absl::string_view token, absl::Time now) {
  if (token.size() > 4096 || !absl::ConsumePrefix(&token, kPrefix)) {
    return Unauthenticated("not a platform token");
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  std::string payload, signature;
  if (parts.size() != 2 || !absl::WebSafeBase64Unescape(parts[0], &payload) ||
      !absl::WebSafeBase64Unescape(parts[1], &signature)) {
    return Unauthenticated("malformed");
  }
  v1::AccessToken claims;
  if (!claims.ParseFromString(payload)) return Unauthenticated("malformed");
  const auto key = public_keys.find(claims.key_id());
  if (key == public_keys.end()) return Unauthenticated("signed by an unknown key");
  if (!VerifySignature(key->second, payload, signature)) {
    return Unauthenticated("the signature does not match");
  }
  if (now >= FromProto(claims.expires_at())) return Unauthenticated("expired; log in again");
  return claims;
}

}  // namespace complaints
