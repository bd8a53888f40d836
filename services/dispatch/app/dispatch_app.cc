#include "services/dispatch/app/dispatch_app.h"

#include "libs/core/time_util.h"
#include "libs/eventlog/consumed_batch.h"
#include "libs/eventlog/topics.h"

namespace complaints::dispatch {

absl::Status DispatchApp::Apply(const std::vector<ConsumedRecord>& records) {
  const absl::Time now = options_.clock->Now();
  return ApplyConsumedBatch(
      options_.store, options_.outbox, Timeline::kSkip, records,
      [&](UnitOfWork& unit, const v1::Envelope& event, const v1::ComplaintView&,
          const v1::ComplaintView&) -> absl::Status {
        std::optional<AssignComplaint> command = PolicyFor(event);
        if (!command) return absl::OkStatus();
        v1::Actor actor;
        actor.set_id("dispatch");
        actor.set_role("routing-policy");
        const EventContext context{now, now, actor, event.event_id()};
        return RunDecider(unit, decider_, *command, command->complaint_id, v1::WRITER_DISPATCH,
                          topics::kDispatch, context)
            .status();
      });
}

}  // namespace complaints::dispatch
