#include "services/analytics/app/analytics_service.h"

#include "complaints/v1/analytics.grpc.pb.h"

namespace complaints::analytics {

AnalyticsService::AnalyticsService(const AnalyticsApp* app)
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
}

}  // namespace complaints::analytics
