#pragma once
// gRPC handler for complaints.v1.Analytics: translates and delegates to AnalyticsApp.

#include "complaints/v1/analytics.grpc.pb.h"
#include "services/analytics/app/analytics_app.h"

namespace complaints::analytics {

class AnalyticsService final : public v1::Analytics::Service {
 public:
  explicit AnalyticsService(const AnalyticsApp* app) : app_(app) {}
  grpc::Status GetCounts(grpc::ServerContext* context, const v1::GetCountsRequest* request,
                         v1::GetCountsResponse* response) override;

 private:
  const AnalyticsApp* app_;
};

}  // namespace complaints::analytics
