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

namespace complaints {

// Called with the view before and after `event` was applied.
using Reaction = std::function<absl::Status(UnitOfWork& unit, const v1::Envelope& event,
                                            const v1::ComplaintView& before,
                                            const v1::ComplaintView& after)>;

absl::Status ApplyConsumedBatch(Store* store, Outbox* outbox, Timeline timeline,
                                const std::vector<ConsumedRecord>& records,
                                const Reaction& react);

}  // namespace complaints
