#include "libs/server/status_http.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/server/httplib.h"

namespace complaints {

absl::StatusOr<std::unique_ptr<StatusHttp>> StatusHttp::Start(StatusHttpOptions options) {
  std::unique_ptr<StatusHttp> http(new StatusHttp());
  http->options_ = std::move(options);
  http->server_ = std::make_unique<httplib::Server>();
  httplib::Server& server = *http->server_;
  const StatusHttpOptions* kept = &http->options_;
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain");
  });
  server.Get("/readyz", [kept](const httplib::Request&, httplib::Response& response) {
    const v1::GetStatusResponse status = kept->status();
    if (status.ready()) return response.set_content("ready\n", "text/plain");
    std::string why = "not ready: ";
    if (status.consumer().stopped()) {
      absl::StrAppend(&why, "the consumer stopped: ", status.consumer().last_error());
    } else if (status.has_consumer() && !status.consumer().assigned()) {
      absl::StrAppend(&why, "the consumer holds no partitions yet");
    } else {
      absl::StrAppend(&why, "still reading back its own topic");
    }
    response.status = 503;
    response.set_content(why + "\n", "text/plain");
  });
  server.Get("/metrics", [kept](const httplib::Request&, httplib::Response& response) {
    response.set_content(kept->metrics(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server.set_read_timeout(5, 0);
  server.set_write_timeout(5, 0);
  server.set_payload_max_length(4096);
  ASSIGN_OR_RETURN(http->port_,
                   ServeInBackground(server, "status", kept->host, kept->port, &http->thread_));
  return http;
}

StatusHttp::~StatusHttp() {
  if (server_ != nullptr) server_->stop();
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int> ServeInBackground(httplib::Server& server, const std::string& what,
                                      const std::string& host, int port, std::thread* thread) {
  const int bound =
      port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    return absl::UnavailableError(absl::StrCat(what, ": cannot listen on ", host, ":", port));
  }
  *thread = std::thread([&server] { server.listen_after_bind(); });
  return bound;
}

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
