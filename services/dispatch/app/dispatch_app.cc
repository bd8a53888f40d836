#include "services/dispatch/app/dispatch_app.h"

#include "services/dispatch/app/dispatch_spec.h"

namespace complaints::dispatch {

DispatchApp::DispatchApp(DispatchAppOptions options)
    : options_(options),
      decider_(options.router),
      feed_(std::make_unique<AssignmentFeed>(options.parts.store, options.parts.clock)),
      runner_(DispatchSpec({.store = options.parts.store,
                            .decider = &decider_,
                            .router = options.router,
                            .feed = feed_.get(),
                            .models = options.models}),
              options.parts, options.key_retention) {}

}  // namespace complaints::dispatch
