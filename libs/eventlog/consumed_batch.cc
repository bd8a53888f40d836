#include "libs/eventlog/consumed_batch.h"

#include "libs/core/status_macros.h"
#include "spdlog/spdlog.h"

namespace complaints {

absl::Status ApplyConsumedBatch(Store* store, Outbox* outbox, Timeline timeline,
                                const std::vector<ConsumedRecord>& records,
                                const Reaction& react) {
  UnitOfWork unit(store, outbox, timeline);
  for (const ConsumedRecord& record : records) {
    StageConsumedOffset(unit.batch(), record);
    v1::Envelope event;
    if (!event.ParseFromString(record.payload) || event.complaint_id().empty()) {
      // A record no writer of ours produced: skipping it is the only way forward.
      spdlog::error("skipping unreadable record {}/{}@{}", record.topic, record.partition,
                    record.offset);
      continue;
    }
    ASSIGN_OR_RETURN(v1::ComplaintView before, unit.View(event.complaint_id()));
    ASSIGN_OR_RETURN(bool applied, unit.ApplyConsumed(event));
    if (!applied) continue;
    ASSIGN_OR_RETURN(v1::ComplaintView after, unit.View(event.complaint_id()));
    RETURN_IF_ERROR(react(unit, event, before, after));
  }
  return unit.Commit(Durability::kBuffered);
}

}  // namespace complaints
