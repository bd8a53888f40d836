#pragma once
// Short-lived signed tokens for HTTP pages (docs/security.md): a
// person who reaches a page carries no client certificate, so
// `complaintctl login` asks analytics (over mTLS, as themselves) for a token
// naming their identity and roles, signed with Ed25519; a page verifies it
// with the public key and checks the roles like an RPC. Pure apart from the
// clock, which is injected.

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/access.pb.h"
#include "complaints/v1/analytics.pb.h"
#include "libs/core/clock.h"
#include "libs/crypto/sealing.h"

namespace complaints {

inline constexpr absl::Duration kDefaultTokenTtl = absl::Minutes(15);
inline constexpr absl::Duration kMaxTokenTtl = absl::Hours(1);

class TokenIssuer {
 public:
  // `key`: the signing key's id and seed; `clock` must outlive the issuer.
  TokenIssuer(const NamedKey& key, const Clock* clock);

  // A token for `principal` valid for `ttl` (1 minute to kMaxTokenTtl).
  // INVALID_ARGUMENT naming ttl_minutes otherwise.
  absl::StatusOr<v1::IssueTokenResponse> Issue(const v1::Principal& principal,
                                               absl::Duration ttl) const;

  const std::string& key_id() const { return key_id_; }
  const std::string& public_key() const { return signing_.public_key(); }

 private:
  std::string key_id_;
  SigningKey signing_;
  const Clock* clock_;
};

// The claims of `token` when one of `public_keys` (key id -> Ed25519 public
// key) signed it and it has not expired at `now`. UNAUTHENTICATED saying
// why (malformed, unknown key, bad signature, expired) otherwise.
absl::StatusOr<v1::AccessToken> VerifyToken(const std::map<std::string, std::string>& public_keys,
                                            absl::string_view token, absl::Time now);

}  // namespace complaints
