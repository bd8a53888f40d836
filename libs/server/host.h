#pragma once
// gRPC bootstrap shared by the four services: mTLS (or plaintext behind
// --insecure), every call admitted by identity and permission, health
// checking (NOT_SERVING until the service says it is ready), server
// reflection (behind the same mTLS), and a graceful shutdown that lets
// in-flight calls finish. Thread-safe.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "libs/server/callback_service.h"
#include "libs/server/server_security.h"

namespace complaints {

// The largest request message a server accepts: the outbox's event ceiling.
inline constexpr size_t kMaxRequestBytes = 256 * 1024;
// The gRPC transport's memory for all calls together (read buffers, windows).
inline constexpr size_t kTransportMemoryBytes = 128 << 20;

class ServiceHost {
 public:
  // Binds `address` ("127.0.0.1:0" picks a free port) and serves `services`,
  // which must outlive the host, each call admitted through `security` (which
  // must outlive it too): mTLS requiring a client certificate from the CA,
  // unless security->transport().insecure. Health reports NOT_SERVING until
  // SetReady(true). INVALID_ARGUMENT for unusable certificate files.
  static absl::StatusOr<std::unique_ptr<ServiceHost>> Start(
      const std::string& address, const std::vector<CallbackService*>& services,
      const ServerSecurity* security);
  ~ServiceHost();

  void SetReady(bool ready);
  int port() const { return port_; }

  // Stops accepting calls and waits up to `grace` for running ones. Idempotent.
  void Shutdown(absl::Duration grace);

 private:
  ServiceHost(std::unique_ptr<grpc::Server> server, int port)
      : server_(std::move(server)), port_(port) {}

  std::unique_ptr<grpc::Server> server_;
  int port_;
  bool shut_down_ = false;
};

}  // namespace complaints
