#pragma once
// Who may call a service, checked before any handler runs: the transport
// (mTLS, or plaintext behind --insecure), the identity the client's
// certificate proves, and the permission the method requires (its
// `required_permission` option) against the caller's roles. Thread-safe.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/support/server_callback.h"
#include "libs/security/access_policy.h"
#include "libs/server/call_info.h"
#include "libs/server/tls.h"

namespace complaints {

class ServerSecurity {
 public:
  ServerSecurity(AccessPolicy policy, TransportSecurity transport)
      : policy_(std::move(policy)), transport_(std::move(transport)) {}

  // Loads the access policy at `policy_path`; errors name the file.
  static absl::StatusOr<std::shared_ptr<const ServerSecurity>> Load(const std::string& policy_path,
                                                                    TransportSecurity transport);

  const AccessPolicy& policy() const { return policy_; }
  const TransportSecurity& transport() const { return transport_; }

  // Fills `call` with the caller of `context`, admitted for `permission`.
  // UNAUTHENTICATED without a verified identity; PERMISSION_DENIED for a
  // stranger or a caller none of whose roles holds the permission (naming
  // it); INVALID_ARGUMENT when the call names its own actor (x-actor-id or
  // x-actor-role metadata: the actor is the certificate's identity). With
  // --insecure there are no certificates and the caller names its identity
  // in x-insecure-identity metadata.
  absl::Status Admit(const grpc::CallbackServerContext& context, v1::Permission permission,
                     CallInfo* call) const;

 private:
  absl::StatusOr<std::string> IdentityOf(const grpc::CallbackServerContext& context) const;

  AccessPolicy policy_;
  TransportSecurity transport_;
};

}  // namespace complaints
