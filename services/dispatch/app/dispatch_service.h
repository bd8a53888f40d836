#pragma once
// gRPC handlers for complaints.v1.DispatchService: translate and delegate to
// DispatchApp. Staff commands take their actor from the call's metadata.

#include "libs/server/callback_service.h"
#include "services/dispatch/app/dispatch_app.h"

namespace complaints::dispatch {

class DispatchService final : public CallbackService {
 public:
  // `app` must outlive the service.
  explicit DispatchService(DispatchApp* app);
};

}  // namespace complaints::dispatch
