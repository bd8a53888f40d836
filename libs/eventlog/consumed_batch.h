#pragma once
// Applies one consumed batch as one unit of work: each record's event is
// folded into its complaint's view (skipped when already applied), `react`
// runs for each newly applied event (policies decide follow-up events there),
// and the views, follow-up events and consumed offsets are written together.

#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "libs/eventlog/consumer.h"
#include "libs/eventlog/unit_of_work.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace complaints {

// Called with the view before and after `event` was applied.
using Reaction = std::function<absl::Status(UnitOfWork& unit, const v1::Envelope& event,
                                            const v1::ComplaintView& before,
                                            const v1::ComplaintView& after)>;

// The usual reaction: `policy(event)` yields an optional command; when it does,
// the decider runs and its events are recorded as `writer` on `topic`, caused
// by the consumed event and done by `actor` at `now`.
template <typename Decider, typename Policy>
Reaction PolicyReaction(const Decider& decider, Policy policy, v1::Writer writer,
                        absl::string_view topic, v1::Actor actor, absl::Time now) {
  return [&decider, policy, writer, topic, actor, now](
             UnitOfWork& unit, const v1::Envelope& event, const v1::ComplaintView&,
             const v1::ComplaintView&) -> absl::Status {
    auto command = policy(event);
    if (!command) return absl::OkStatus();
    const EventContext context{now, now, actor, event.event_id()};
    return RunDecider(unit, decider, *command, command->complaint_id, writer, topic, context)
        .status();
  };
}

absl::Status ApplyConsumedBatch(Store* store, Outbox* outbox, Timeline timeline,
                                const std::vector<ConsumedRecord>& records,
                                const Reaction& react);

}  // namespace complaints
