#include "services/analytics/app/analytics_service.h"

#include "libs/server/grpc_status.h"

namespace complaints::analytics {

grpc::Status AnalyticsService::GetCounts(grpc::ServerContext*, const v1::GetCountsRequest* request,
                                         v1::GetCountsResponse* response) {
  absl::StatusOr<v1::GetCountsResponse> counts = app_->GetCounts(*request);
  if (counts.ok()) *response = *std::move(counts);
  return ToGrpcStatus(counts.status());
}

}  // namespace complaints::analytics
