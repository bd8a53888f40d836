#pragma once
// gRPC handlers for complaints.v1.Analytics: translate and delegate to AnalyticsApp.

#include "libs/server/callback_service.h"
#include "services/analytics/app/analytics_app.h"

namespace complaints::analytics {

class AnalyticsService final : public CallbackService {
 public:
  // `app` must outlive the service.
  explicit AnalyticsService(const AnalyticsApp* app);
};

}  // namespace complaints::analytics
