#pragma once
// §4.2 a case imported from the centre's previous system and closed there:
// tracking records its part of that history, dated as it happened — the
// deadline it had (DeadlinesSet with the target as resolve-by and no
// timers), the §3.2 verdict (DeadlineBreached at the target when it was
// closed after it, exactly the breach a live complaint's timer records),
// the resolution and follow-up satisfaction, and the closing. Nothing about
// it is timed or sent (DueTimers and the Notifier leave it alone). A case
// imported still open is a live complaint from its import on (ClockStart):
// the SLA decider starts its clock then. Pure.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints::tracking {

// The policy an imported case's deadline is recorded under.
inline constexpr char kImportPolicy[] = "import";

struct RecordHistory {
  std::string complaint_id;
};

// Policy: "intake's classification or dispatch's assignment of a case
// imported closed -> record its history" (`view` has the event applied).
std::optional<RecordHistory> HistoryPolicy(const v1::Envelope& event,
                                           const v1::ComplaintView& view);

class HistoryDecider {
 public:
  // `handling` gives the follow-up's satisfied-from score and the policy
  // the follow-up and closing name.
  explicit HistoryDecider(v1::HandlingPolicy handling) : handling_(std::move(handling)) {}

  // The deadline once classified (nothing while unclassified); the verdict,
  // resolution, follow-up and closing once also assigned; nothing for a
  // case not imported closed, or closed already.
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const RecordHistory& command,
                                                   const v1::ComplaintView& view) const;

 private:
  v1::HandlingPolicy handling_;
};

// The timer id of an imported case's resolve breach: the form a live
// complaint's breach timer has, so queues and figures read both alike.
std::string ImportedBreachId(const v1::HistoricalCase& history);

}  // namespace complaints::tracking
