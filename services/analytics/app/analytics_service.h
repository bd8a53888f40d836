#pragma once
// gRPC handlers for complaints.v1.Analytics: translate and delegate to AnalyticsApp.

#include "libs/security/token.h"
#include "libs/server/callback_service.h"
#include "services/analytics/app/analytics_app.h"

namespace complaints::analytics {

class AnalyticsService final : public CallbackService {
 public:
  // `app` and `tokens` must outlive the service; without `tokens` (no
  // signing key) IssueToken is FAILED_PRECONDITION.
  explicit AnalyticsService(const AnalyticsApp* app, const TokenIssuer* tokens = nullptr);
};

}  // namespace complaints::analytics
