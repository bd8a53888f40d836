#pragma once
// The platform's small HTTP/1.1 server — each service's status port and the
// analysts' API — built so that slow or idle clients cannot starve it
// (docs/api.md "Limits"). One event thread reads every connection (Boost.Beast
// over asio), so a client sending its header a line at a time holds no
// thread; a complete request is answered on a worker pool. Bounds:
//  - a request's header must be complete within header_timeout of the
//    moment the server began to wait for it, its body within body_timeout;
//  - a kept-alive connection gets at most max_requests_per_connection and is
//    closed after idle_timeout without a new request's header;
//  - at most max_connections are open: when one more arrives at the limit,
//    the oldest connection still waiting for a header is closed for it, so a
//    request whose header is complete (a probe) is always served.
// Thread-safe: handlers may run concurrently on the pool.

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace complaints {

struct HttpRequest {
  std::string method;                                      // "GET"
  std::string path;                                        // without the query, percent-decoded
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header named `name` (any case); empty when there is none.
  std::string Header(absl::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  std::string what = "http";  // names the server in errors
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  absl::Duration header_timeout = absl::Seconds(5);
  absl::Duration body_timeout = absl::Seconds(10);
  absl::Duration idle_timeout = absl::Seconds(15);
  absl::Duration write_timeout = absl::Seconds(10);
  int max_requests_per_connection = 100;
  int max_connections = 256;
  size_t max_header_bytes = 8 * 1024;
  size_t max_body_bytes = 64 * 1024;
  int worker_threads = 2;
  size_t max_queued = 64;  // requests waiting for a worker; beyond, 503
};

class HttpServer {
 public:
  // Binds host:port and serves every complete request with `handler`
  // (routing is the caller's). UNAVAILABLE naming options.what when the
  // address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(HttpServerOptions options,
                                                           HttpHandler handler);
  ~HttpServer();  // closes every connection, then waits for running handlers

  int port() const;
  // Connections open now.
  int open_connections() const;

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A file under `root` for the request path `relative` (no "..", no hidden
// files), with its content type by extension; 404 when there is none.
HttpResponse StaticFile(const std::string& root, absl::string_view relative);

// `status` as a JSON error {"code", "message"} with the matching HTTP status
// (400 for INVALID_ARGUMENT, 401, 403, 404, 409, 429, 503; else 500).
HttpResponse JsonError(const absl::Status& status);

}  // namespace complaints
