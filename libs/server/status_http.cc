#include "libs/server/status_http.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"

namespace complaints {
namespace {

HttpResponse Text(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

HttpResponse Readiness(const v1::GetStatusResponse& status) {
  if (status.ready()) return Text(200, "ready\n");
  std::string why = "not ready: ";
  if (status.consumer().stopped()) {
    absl::StrAppend(&why, "the consumer stopped: ", status.consumer().last_error());
  } else if (status.has_consumer() && !status.consumer().assigned()) {
    absl::StrAppend(&why, "the consumer holds no partitions yet");
  } else {
    absl::StrAppend(&why, "still reading back its own topic");
  }
  return Text(503, why + "\n");
}

}  // namespace

absl::StatusOr<std::unique_ptr<StatusHttp>> StatusHttp::Start(StatusHttpOptions options) {
  std::unique_ptr<StatusHttp> http(new StatusHttp());
  http->options_ = std::move(options);
  const StatusHttpOptions* kept = &http->options_;
  HttpServerOptions server = kept->http;
  server.what = "status";
  server.host = kept->host;
  server.port = kept->port;
  server.max_body_bytes = 4096;
  ASSIGN_OR_RETURN(http->server_, HttpServer::Start(server, [kept](const HttpRequest& request) {
                     if (request.method != "GET") return Text(405, "GET only\n");
                     if (request.path == "/healthz") return Text(200, "ok\n");
                     if (request.path == "/readyz") return Readiness(kept->status());
                     if (request.path == "/metrics") {
                       HttpResponse response = Text(200, kept->metrics());
                       response.content_type = "text/plain; version=0.0.4; charset=utf-8";
                       return response;
                     }
                     return Text(404, "not found: /healthz, /readyz or /metrics\n");
                   }));
  return http;
}

StatusHttp::~StatusHttp() = default;

absl::StatusOr<std::pair<std::string, int>> SplitHostPort(const std::string& flag,
                                                          const std::string& address) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": host:port, got \"", address, "\""));
  }
  return std::make_pair(address.substr(0, colon), port);
}

}  // namespace complaints
