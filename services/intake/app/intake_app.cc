#include "services/intake/app/intake_app.h"

#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "services/intake/app/intake_spec.h"

namespace complaints::intake {

IntakeApp::IntakeApp(IntakeAppOptions options)
    : options_(options),
      decider_(options.classifier),
      mail_decider_(options.mail),
      runner_(IntakeSpec({.store = options.parts.store,
                          .outbox = options.parts.outbox,
                          .ids = options.ids,
                          .decider = &decider_,
                          .verification = options.verification,
                          .keys = options.keys,
                          .clock = options.parts.clock,
                          .accepting = &accepting_,
                          .outbox_high_water = options.outbox_high_water}),
              options.parts, options.key_retention) {}

absl::StatusOr<v1::RequestErasureResponse> IntakeApp::RequestErasure(
    const v1::RequestErasureRequest& request, const v1::Actor& actor) {
  absl::StatusOr<v1::RequestErasureResponse> response;
  {
    // A re-wrap must not write back a key being erased.
    absl::MutexLock erasing(&options_.keys->erasure_lock());
    response = runner_.Run<v1::RequestErasureResponse>(request, actor);
  }
  if (!response.ok()) return response;
  if (absl::Status purged = options_.keys->Purge(); !purged.ok()) {
    log::Error("intake: compacting erased data keys: {}", purged.ToString());
  }
  return response;
}

}  // namespace complaints::intake
