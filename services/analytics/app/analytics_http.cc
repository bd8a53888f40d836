#include "services/analytics/app/analytics_http.h"

#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "libs/core/status_macros.h"
#include "libs/security/rules.h"
#include "libs/security/token.h"
#include "libs/server/httplib.h"

namespace complaints::analytics {
namespace {

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kFailedPrecondition:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

void Fail(httplib::Response& response, const absl::Status& status) {
  google::protobuf::Struct error;
  (*error.mutable_fields())["code"].set_string_value(absl::StatusCodeToString(status.code()));
  (*error.mutable_fields())["message"].set_string_value(std::string(status.message()));
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(error, &json);
  response.status = HttpStatusOf(status.code());
  response.set_content(json, "application/json");
}

// The query parameters as the request message: each names a field.
absl::Status ParseQuery(const httplib::Params& params, google::protobuf::Message* request) {
  google::protobuf::Struct fields;
  for (const auto& [name, value] : params) {
    const google::protobuf::FieldDescriptor* field =
        request->GetDescriptor()->FindFieldByName(name);
    if (field == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(name, ": not a parameter of this query"));
    }
    google::protobuf::Value& json = (*fields.mutable_fields())[name];
    if (field->is_repeated()) {
      for (absl::string_view item : absl::StrSplit(value, ',', absl::SkipEmpty())) {
        json.mutable_list_value()->add_values()->set_string_value(std::string(item));
      }
    } else if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_BOOL) {
      // JSON's booleans are literals, not strings.
      if (value != "true" && value != "false") {
        return absl::InvalidArgumentError(absl::StrCat(name, ": true or false"));
      }
      json.set_bool_value(value == "true");
    } else {
      json.set_string_value(value);
    }
  }
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(fields, &json).ok()) {
    return absl::InvalidArgumentError("the query could not be read");
  }
  const auto parsed = google::protobuf::util::JsonStringToMessage(json, request);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("query: ", std::string(parsed.message())));
  }
  return absl::OkStatus();
}

class Routes {
 public:
  Routes(httplib::Server* server, const AnalyticsApp* app, const AnalyticsHttpOptions* options)
      : server_(server), app_(app), options_(options) {}

  // GET `path`: the query as Request, `method`'s answer as JSON.
  template <typename Request, typename Response>
  void Query(const std::string& path,
             absl::StatusOr<Response> (AnalyticsApp::*method)(const Request&) const) {
    server_->Get(path, [this, method](const httplib::Request& http, httplib::Response& response) {
      if (absl::Status allowed = Admit(http); !allowed.ok()) return Fail(response, allowed);
      Request request;
      if (absl::Status parsed = ParseQuery(http.params, &request); !parsed.ok()) {
        return Fail(response, parsed);
      }
      absl::StatusOr<Response> answer = (app_->*method)(request);
      if (!answer.ok()) return Fail(response, answer.status());
      std::string json;
      if (!google::protobuf::util::MessageToJsonString(*answer, &json).ok()) {
        return Fail(response, absl::InternalError("the answer could not be written as JSON"));
      }
      response.set_content(json, "application/json");
    });
  }

  // A report as the page a centre posts.
  void ReportPage() {
    server_->Get(R"(/reports/([A-Za-z0-9-]{1,40})\.html)",
                 [this](const httplib::Request& http, httplib::Response& response) {
                   if (absl::Status allowed = Admit(http); !allowed.ok()) {
                     return Fail(response, allowed);
                   }
                   v1::GetReportRequest request;
                   request.set_report_id(http.matches[1]);
                   request.set_format(v1::REPORT_FORMAT_HTML);
                   absl::StatusOr<v1::GetReportResponse> report = app_->GetReport(request);
                   if (!report.ok()) return Fail(response, report.status());
                   response.set_content(report->rendered(), "text/html; charset=utf-8");
                 });
  }

 private:
  // The bearer token's roles must grant figures.read.
  absl::Status Admit(const httplib::Request& http) const {
    const std::string header = http.get_header_value("Authorization");
    if (!absl::StartsWith(header, "Bearer ")) {
      return absl::UnauthenticatedError(
          "a sign-in token is required: Authorization: Bearer <token> (complaintctl login)");
    }
    absl::StatusOr<v1::AccessToken> claims =
        VerifyToken(options_->token_keys, header.substr(7), options_->clock->Now());
    if (!claims.ok()) return claims.status();
    for (int role : claims->roles()) {
      if (Grants(static_cast<v1::Role>(role), v1::PERMISSION_FIGURES_READ)) return absl::OkStatus();
    }
    return absl::PermissionDeniedError(
        absl::StrCat(claims->identity(), " may not read figures (permission figures.read)"));
  }

  httplib::Server* server_;
  const AnalyticsApp* app_;
  const AnalyticsHttpOptions* options_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<AnalyticsHttp>> AnalyticsHttp::Start(const AnalyticsApp* app,
                                                                    AnalyticsHttpOptions options) {
  std::unique_ptr<AnalyticsHttp> http(new AnalyticsHttp());
  http->server_ = std::make_unique<httplib::Server>();
  httplib::Server& server = *http->server_;
  auto kept = std::make_shared<AnalyticsHttpOptions>(std::move(options));
  auto routes = std::make_shared<Routes>(&server, app, kept.get());
  http->handlers_ =
      std::make_shared<std::pair<std::shared_ptr<AnalyticsHttpOptions>, std::shared_ptr<Routes>>>(
          kept, routes);
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain");
  });
  routes->Query("/api/v1/figures", &AnalyticsApp::GetFigures);
  routes->Query("/api/v1/counts", &AnalyticsApp::GetCounts);
  routes->Query("/api/v1/projection", &AnalyticsApp::GetProjection);
  routes->Query("/api/v1/hot", &AnalyticsApp::GetHotIssues);
  routes->Query("/api/v1/incidents", &AnalyticsApp::ListIncidents);
  routes->Query("/api/v1/reports", &AnalyticsApp::ListReports);
  routes->Query("/api/v1/report", &AnalyticsApp::GetReport);
  routes->ReportPage();
  if (!kept->dashboard_dir.empty()) {
    if (!std::filesystem::is_regular_file(kept->dashboard_dir + "/index.html") ||
        !server.set_mount_point("/dashboard", kept->dashboard_dir)) {
      return absl::FailedPreconditionError(
          absl::StrCat("dashboard: no index.html in ", kept->dashboard_dir));
    }
    server.Get("/", [](const httplib::Request&, httplib::Response& response) {
      response.set_redirect("/dashboard/");
    });
  }
  // The page runs only its own scripts and asks only this server; nothing
  // here may be framed, sniffed as another type or kept by a shared cache.
  server.set_post_routing_handler([](const httplib::Request&, httplib::Response& response) {
    response.set_header("Content-Security-Policy",
                        "default-src 'none'; script-src 'self'; connect-src 'self'; "
                        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Referrer-Policy", "no-referrer");
    response.set_header("Cache-Control", "no-store");
  });
  server.set_read_timeout(10, 0);
  server.set_write_timeout(10, 0);
  server.set_payload_max_length(64 * 1024);
  ASSIGN_OR_RETURN(http->port_,
                   ServeInBackground(server, "http", kept->host, kept->port, &http->thread_));
  return http;
}

AnalyticsHttp::~AnalyticsHttp() {
  if (server_ != nullptr) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace complaints::analytics
