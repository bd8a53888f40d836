#pragma once
// §5.1 the analysts' HTTP/JSON API: the analytics queries as GET requests —
// /api/v1/figures, projection, hot, incidents, reports, report — whose query
// parameters are the request message's fields (enums by full name, repeated
// fields comma-separated), answered with the response message in protobuf's
// JSON mapping. A report also comes as a page to post: /reports/<id>.html.
// Every request but /healthz carries a sign-in token (`Authorization: Bearer
// ct1…`, `complaintctl login`) whose roles grant figures.read; errors are
// JSON {"code", "message"} with the matching HTTP status. Read-only.
// With a dashboard folder, its files (the page, its script and ECharts;
// no data) are served under /dashboard/ without a token: the page asks the
// API with the token the analyst brings (docs/analytics.md).

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/core/clock.h"
#include "libs/server/http_server.h"
#include "services/analytics/app/analytics_app.h"

namespace complaints::analytics {

struct AnalyticsHttpOptions {
  std::string host = "127.0.0.1";
  int port = 0;                                   // 0: any free port
  std::map<std::string, std::string> token_keys;  // key id -> Ed25519 public key
  const Clock* clock = nullptr;
  std::string dashboard_dir = "";  // empty: no dashboard
  HttpServerOptions http{};        // connection bounds (docs/api.md "Limits")
};

class AnalyticsHttp {
 public:
  // `app` and `options.clock` must outlive the server. UNAVAILABLE when the
  // address cannot be bound; FAILED_PRECONDITION when the dashboard folder
  // holds no index.html.
  static absl::StatusOr<std::unique_ptr<AnalyticsHttp>> Start(const AnalyticsApp* app,
                                                              AnalyticsHttpOptions options);
  ~AnalyticsHttp();  // stops serving
  int port() const { return server_->port(); }

  class Routes;

 private:
  AnalyticsHttp() = default;
  std::unique_ptr<Routes> routes_;
  std::unique_ptr<HttpServer> server_;  // last: stopped before routes_ go
};

}  // namespace complaints::analytics
