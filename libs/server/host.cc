#include "libs/server/host.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "grpc/grpc.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "libs/core/clock.h"
#include "libs/core/log.h"

namespace complaints {

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Start(
    const std::string& address, const std::vector<CallbackService*>& services,
    const ServerSecurity* security) {
  if (security == nullptr) return absl::InvalidArgumentError("grpc: no security given");
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentialsFor(security->transport());
  if (!credentials.ok()) return credentials.status();
  grpc::EnableDefaultHealthCheckService(true);
  // Links the health schema into every binary so reflection clients (grpcurl) can describe it.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // Without this, a second instance on the same port would silently share it.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // No request may exceed what one event may hold (docs/api.md "Limits"): a larger
  // one is RESOURCE_EXHAUSTED before any handler sees it.
  builder.SetMaxReceiveMessageSize(static_cast<int>(kMaxRequestBytes));
  // What a caller may have sent that no handler has read yet: a fixed window
  // of two requests per stream (no probing that grows it to megabytes on a
  // fast link), so an upload in flight costs about 1 MiB at most. The quota
  // caps the transport's buffers for all calls together.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES,
                             static_cast<int>(2 * kMaxRequestBytes));
  grpc::ResourceQuota quota("complaints-server");
  quota.Resize(kTransportMemoryBytes);
  builder.SetResourceQuota(quota);
  int port = 0;
  builder.AddListeningPort(address, *credentials, &port);
  for (CallbackService* service : services) {
    service->Guard(security);
    builder.RegisterService(service);
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    return absl::UnavailableError(absl::StrCat("grpc: cannot listen on ", address));
  }
  std::unique_ptr<ServiceHost> host(new ServiceHost(std::move(server), port));
  host->SetReady(false);
  if (security->transport().insecure) {
    log::Warn(
        "grpc: port {} is PLAINTEXT (--insecure): callers name themselves; local "
        "experiments only",
        port);
  } else {
    log::Info("grpc: listening on port {} (mTLS, client certificates required)", port);
  }
  return host;
}

ServiceHost::~ServiceHost() { Shutdown(absl::Seconds(5)); }

void ServiceHost::SetReady(bool ready) {
  server_->GetHealthCheckService()->SetServingStatus(ready);
}

void ServiceHost::Shutdown(absl::Duration grace) {
  if (shut_down_) return;
  shut_down_ = true;
  SetReady(false);
  server_->Shutdown(GrpcDeadline(grace));
  server_->Wait();
}

}  // namespace complaints
