#pragma once
// The status port every service opens beside its gRPC port (--status_listen):
// plain HTTP, because kubelet's probes and Prometheus cannot present the
// client certificates gRPC requires. It answers
//   GET /healthz  200 while the process serves (liveness);
//   GET /readyz   200 once ready, else 503 with the reason (readiness);
//   GET /metrics  Prometheus' text format (ServiceMetrics::Render).
// Read-only, and nothing it answers names a complainant.

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "complaints/v1/admin.pb.h"
#include "libs/server/http_server.h"

namespace complaints {

struct StatusHttpOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  std::function<v1::GetStatusResponse()> status;
  std::function<std::string()> metrics;  // the exposition text
  // Connection bounds (docs/api.md "Limits"); the defaults suit a probe port.
  HttpServerOptions http{};
};

class StatusHttp {
 public:
  // UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<StatusHttp>> Start(StatusHttpOptions options);
  ~StatusHttp();  // stops serving
  int port() const { return server_->port(); }

 private:
  StatusHttp() = default;
  StatusHttpOptions options_;
  std::unique_ptr<HttpServer> server_;  // last: stopped before options_ go
};

// "host:port" split for --status_listen and the like; INVALID_ARGUMENT naming `flag`.
absl::StatusOr<std::pair<std::string, int>> SplitHostPort(const std::string& flag,
                                                          const std::string& address);

}  // namespace complaints
