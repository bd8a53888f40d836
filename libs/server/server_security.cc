#include "libs/server/server_security.h"

#include "absl/strings/str_cat.h"
#include "grpc/grpc_security_constants.h"
#include "grpcpp/security/auth_context.h"
#include "grpcpp/server_context.h"
#include "libs/core/text.h"
#include "libs/security/rules.h"

namespace complaints {
namespace {

constexpr char kInsecureIdentityHeader[] = "x-insecure-identity";
constexpr size_t kMaxHeaderBytes = 256;

std::vector<std::string> Values(const grpc::AuthContext& auth, const char* property) {
  std::vector<std::string> values;
  for (const grpc::string_ref& value : auth.FindPropertyValues(property)) {
    values.emplace_back(value.data(), value.size());
  }
  return values;
}

}  // namespace

bool CallInfo::May(v1::Permission permission) const {
  return principal != nullptr && AccessPolicy::Holds(*principal, permission);
}

absl::StatusOr<std::shared_ptr<const ServerSecurity>> ServerSecurity::Load(
    const std::string& policy_path, TransportSecurity transport) {
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::Load(policy_path);
  if (!policy.ok()) return policy.status();
  return std::make_shared<const ServerSecurity>(*std::move(policy), std::move(transport));
}

absl::StatusOr<std::string> ServerSecurity::IdentityOf(
    const grpc::CallbackServerContext& context) const {
  if (transport_.insecure) {
    const auto& metadata = context.client_metadata();
    auto it = metadata.find(kInsecureIdentityHeader);
    if (it == metadata.end() || it->second.empty() || it->second.size() > kMaxHeaderBytes) {
      return absl::UnauthenticatedError(
          "x-insecure-identity metadata: required (plaintext mode: name a principal of the "
          "access policy)");
    }
    return std::string(it->second.data(), it->second.size());
  }
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) {
    return absl::UnauthenticatedError("client certificate: required");
  }
  const std::vector<std::string> names = Values(*auth, GRPC_X509_CN_PROPERTY_NAME);
  return policy_.IdentityOf(Values(*auth, GRPC_PEER_URI_PROPERTY_NAME),
                            names.empty() ? "" : names.front());
}

absl::Status ServerSecurity::Admit(const grpc::CallbackServerContext& context,
                                   v1::Permission permission, CallInfo* call) const {
  call->peer = context.peer();
  const auto& metadata = context.client_metadata();
  for (const char* forged : {"x-actor-id", "x-actor-role"}) {
    if (metadata.find(forged) != metadata.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          forged, " metadata: not accepted; the actor is the identity of the client certificate"));
    }
  }
  absl::StatusOr<std::string> identity = IdentityOf(context);
  if (!identity.ok()) return identity.status();
  const v1::Principal* principal = policy_.Find(*identity);
  if (principal == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat("permission ", PermissionName(permission),
                                                    " required; ", EscapedPrefix(*identity, 80),
                                                    " is not in the access policy"));
  }
  absl::StatusOr<v1::Actor> actor = AccessPolicy::Admit(*principal, permission);
  if (!actor.ok()) return actor.status();
  call->identity = *std::move(identity);
  call->actor = *std::move(actor);
  call->principal = principal;
  return absl::OkStatus();
}

}  // namespace complaints
