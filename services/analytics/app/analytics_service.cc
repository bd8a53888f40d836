#include "services/analytics/app/analytics_service.h"

#include "complaints/v1/analytics.grpc.pb.h"

namespace complaints::analytics {

AnalyticsService::AnalyticsService(const AnalyticsApp* app, const TokenIssuer* tokens)
    : CallbackService(
          v1::GetCountsRequest::descriptor()->file()->FindServiceByName("AnalyticsService")) {
  Handle<v1::GetCountsRequest, v1::GetCountsResponse>(
      "GetCounts", [app](const v1::GetCountsRequest& request, const CallInfo&) {
        return app->GetCounts(request);
      });
  Handle<v1::GetFiguresRequest, v1::GetFiguresResponse>(
      "GetFigures", [app](const v1::GetFiguresRequest& request, const CallInfo&) {
        return app->GetFigures(request);
      });
  Handle<v1::GetProjectionRequest, v1::GetProjectionResponse>(
      "GetProjection", [app](const v1::GetProjectionRequest& request, const CallInfo&) {
        return app->GetProjection(request);
      });
  Handle<v1::GetHotIssuesRequest, v1::GetHotIssuesResponse>(
      "GetHotIssues", [app](const v1::GetHotIssuesRequest& request, const CallInfo&) {
        return app->GetHotIssues(request);
      });
  Handle<v1::ListIncidentsRequest, v1::ListIncidentsResponse>(
      "ListIncidents", [app](const v1::ListIncidentsRequest& request, const CallInfo&) {
        return app->ListIncidents(request);
      });
  Handle<v1::ListReportsRequest, v1::ListReportsResponse>(
      "ListReports", [app](const v1::ListReportsRequest& request, const CallInfo&) {
        return app->ListReports(request);
      });
  Handle<v1::GetReportRequest, v1::GetReportResponse>(
      "GetReport", [app](const v1::GetReportRequest& request, const CallInfo&) {
        return app->GetReport(request);
      });
  Handle<v1::IssueTokenRequest, v1::IssueTokenResponse>(
      "IssueToken",
      [tokens](const v1::IssueTokenRequest& request,
               const CallInfo& call) -> absl::StatusOr<v1::IssueTokenResponse> {
        if (tokens == nullptr) {
          return absl::FailedPreconditionError(
              "analytics was started without --token_key_file: it issues no tokens");
        }
        if (call.principal == nullptr) {
          return absl::UnauthenticatedError("a token is issued to a known identity only");
        }
        const absl::Duration ttl =
            request.ttl_minutes() == 0 ? kDefaultTokenTtl : absl::Minutes(request.ttl_minutes());
        return tokens->Issue(*call.principal, ttl);
      });
}

}  // namespace complaints::analytics
