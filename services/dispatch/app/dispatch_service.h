#pragma once
// gRPC handlers for complaints.v1.DispatchService: translate and delegate to
// DispatchApp. Staff commands take their actor from the call's metadata.

#include "libs/server/callback_service.h"
#include "services/dispatch/app/dispatch_app.h"
#include "services/dispatch/app/routing_models.h"

namespace complaints::dispatch {

class DispatchService final : public CallbackService {
 public:
  // `app` and `models` must outlive the service.
  DispatchService(DispatchApp* app, RoutingModels* models);
};

}  // namespace complaints::dispatch
