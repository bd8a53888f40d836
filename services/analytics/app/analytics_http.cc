#include "services/analytics/app/analytics_http.h"

#include <filesystem>
#include <functional>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "libs/core/status_macros.h"
#include "libs/security/rules.h"
#include "libs/security/token.h"

namespace complaints::analytics {
namespace {

// The query parameters as the request message: each names a field once.
absl::Status ParseQuery(const std::vector<std::pair<std::string, std::string>>& params,
                        google::protobuf::Message* request) {
  google::protobuf::Struct fields;
  std::set<std::string> seen;
  for (const auto& [name, value] : params) {
    const google::protobuf::FieldDescriptor* field =
        request->GetDescriptor()->FindFieldByName(name);
    if (field == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(name, ": not a parameter of this query"));
    }
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": given twice (a list is comma-separated)"));
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

HttpResponse Content(std::string body, std::string type) {
  HttpResponse response;
  response.body = std::move(body);
  response.content_type = std::move(type);
  return response;
}

HttpResponse Redirect(std::string to) {
  HttpResponse response;
  response.status = 302;
  response.headers.emplace_back("Location", std::move(to));
  return response;
}

// A report id in a page's path: 1–40 of [A-Za-z0-9-].
bool IsReportId(absl::string_view id) {
  if (id.empty() || id.size() > 40) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

// The page runs only its own scripts and asks only this server; nothing
// here may be framed, sniffed as another type or kept by a shared cache.
void AddSecurityHeaders(HttpResponse& response) {
  response.headers.emplace_back("Content-Security-Policy",
                                "default-src 'none'; script-src 'self'; connect-src 'self'; "
                                "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("Cache-Control", "no-store");
}

}  // namespace

class AnalyticsHttp::Routes {
 public:
  Routes(const AnalyticsApp* app, AnalyticsHttpOptions options)
      : app_(app), options_(std::move(options)) {
    Query("figures", &AnalyticsApp::GetFigures);
    Query("counts", &AnalyticsApp::GetCounts);
    Query("projection", &AnalyticsApp::GetProjection);
    Query("hot", &AnalyticsApp::GetHotIssues);
    Query("incidents", &AnalyticsApp::ListIncidents);
    Query("reports", &AnalyticsApp::ListReports);
    Query("report", &AnalyticsApp::GetReport);
  }

  const AnalyticsHttpOptions& options() const { return options_; }

  HttpResponse Serve(const HttpRequest& request) const {
    HttpResponse response = Route(request);
    AddSecurityHeaders(response);
    return response;
  }

 private:
  using Api = std::function<HttpResponse(const HttpRequest&)>;

  HttpResponse Route(const HttpRequest& request) const {
    if (request.method != "GET") {
      HttpResponse refused = JsonError(absl::InvalidArgumentError("method: GET only"));
      refused.status = 405;
      return refused;
    }
    const std::string& path = request.path;
    if (path == "/healthz") return Content("ok\n", "text/plain");
    if (absl::StartsWith(path, "/api/v1/")) {
      const auto api = apis_.find(path.substr(8));
      if (api == apis_.end()) return JsonError(absl::NotFoundError("no such query: " + path));
      if (absl::Status allowed = Admit(request); !allowed.ok()) return JsonError(allowed);
      return api->second(request);
    }
    if (absl::StartsWith(path, "/reports/") && absl::EndsWith(path, ".html")) {
      const std::string id = path.substr(9, path.size() - 9 - 5);
      if (!IsReportId(id)) return JsonError(absl::NotFoundError("no such report page"));
      if (absl::Status allowed = Admit(request); !allowed.ok()) return JsonError(allowed);
      v1::GetReportRequest report_request;
      report_request.set_report_id(id);
      report_request.set_format(v1::REPORT_FORMAT_HTML);
      absl::StatusOr<v1::GetReportResponse> report = app_->GetReport(report_request);
      if (!report.ok()) return JsonError(report.status());
      return Content(report->rendered(), "text/html; charset=utf-8");
    }
    if (!options_.dashboard_dir.empty()) {
      if (path == "/" || path == "/dashboard") return Redirect("/dashboard/");
      if (absl::StartsWith(path, "/dashboard/")) {
        return StaticFile(options_.dashboard_dir, path.substr(10));
      }
    }
    return JsonError(absl::NotFoundError("no such page: " + path));
  }

  // /api/v1/<name>: the query as Request, `method`'s answer as JSON.
  template <typename Request, typename Response>
  void Query(const std::string& name,
             absl::StatusOr<Response> (AnalyticsApp::*method)(const Request&) const) {
    apis_[name] = [this, method](const HttpRequest& http) {
      Request request;
      if (absl::Status parsed = ParseQuery(http.query, &request); !parsed.ok()) {
        return JsonError(parsed);
      }
      absl::StatusOr<Response> answer = (app_->*method)(request);
      if (!answer.ok()) return JsonError(answer.status());
      std::string json;
      if (!google::protobuf::util::MessageToJsonString(*answer, &json).ok()) {
        return JsonError(absl::InternalError("the answer could not be written as JSON"));
      }
      return Content(std::move(json), "application/json");
    };
  }

  // The bearer token's roles must grant figures.read.
  absl::Status Admit(const HttpRequest& http) const {
    const std::string header = http.Header("Authorization");
    if (!absl::StartsWith(header, "Bearer ")) {
      return absl::UnauthenticatedError(
          "a sign-in token is required: Authorization: Bearer <token> (complaintctl login)");
    }
    absl::StatusOr<v1::AccessToken> claims =
        VerifyToken(options_.token_keys, header.substr(7), options_.clock->Now());
    if (!claims.ok()) return claims.status();
    for (int role : claims->roles()) {
      if (Grants(static_cast<v1::Role>(role), v1::PERMISSION_FIGURES_READ)) return absl::OkStatus();
    }
    return absl::PermissionDeniedError(
        absl::StrCat(claims->identity(), " may not read figures (permission figures.read)"));
  }

  const AnalyticsApp* app_;
  const AnalyticsHttpOptions options_;
  std::map<std::string, Api> apis_;  // by the name after /api/v1/
};

absl::StatusOr<std::unique_ptr<AnalyticsHttp>> AnalyticsHttp::Start(const AnalyticsApp* app,
                                                                    AnalyticsHttpOptions options) {
  if (!options.dashboard_dir.empty() &&
      !std::filesystem::is_regular_file(options.dashboard_dir + "/index.html")) {
    return absl::FailedPreconditionError(
        absl::StrCat("dashboard: no index.html in ", options.dashboard_dir));
  }
  std::unique_ptr<AnalyticsHttp> http(new AnalyticsHttp());
  http->routes_ = std::make_unique<Routes>(app, std::move(options));
  const Routes* routes = http->routes_.get();
  HttpServerOptions server = routes->options().http;
  server.what = "http";
  server.host = routes->options().host;
  server.port = routes->options().port;
  ASSIGN_OR_RETURN(http->server_, HttpServer::Start(server, [routes](const HttpRequest& request) {
                     return routes->Serve(request);
                   }));
  return http;
}

AnalyticsHttp::~AnalyticsHttp() = default;

}  // namespace complaints::analytics
