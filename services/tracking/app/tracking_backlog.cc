// §4.2 the imported backlog (domain/backlog.h): each open import joins its
// department's backlog in the consumer's batch, its release slot taken from
// the department's tally in the same batch, so a slot is given once across
// crashes; each department's summary goes out from the timer loop once the
// import has gone quiet, the tally reset in the batch that publishes it.
// Both hold the whole write gate: the tally spans complaints.
//
// A store rebuilt from the topics keeps the views (BacklogEntered holds each
// case's slot) but not the tallies: summaries already sent are not sent
// again, and a later import's slots start after the grace anew.
#include "absl/strings/str_cat.h"
#include "libs/complaint/view.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "libs/runner/topics.h"
#include "libs/runner/unit_of_work.h"
#include "services/tracking/app/tracking_projections.h"

namespace complaints::tracking {

absl::StatusOr<v1::BacklogTally*> BacklogFold::Tally(const std::string& department) {
  auto cached = tallies_.find(department);
  if (cached == tallies_.end()) {
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     store_->Get(Family::kCounts, BacklogKey(department)));
    cached = tallies_.emplace(department, v1::BacklogTally()).first;
    if (stored.has_value() && !cached->second.ParseFromString(*stored)) {
      tallies_.erase(cached);
      return absl::DataLossError(
          absl::StrCat("the backlog tally of ", EscapedPrefix(department), " is corrupt"));
    }
  }
  return &cached->second;
}

absl::StatusOr<std::optional<absl::Time>> BacklogFold::SlotFor(const v1::ComplaintView& view) {
  std::optional<absl::Time> release;
  if (view.tracking().sla().backlog()) {
    ASSIGN_OR_RETURN(v1::BacklogTally * tally, Tally(view.dispatch().department()));
    release = ReleaseSlot(*tally, FromProto(view.intake().history().imported_at()), *rules_);
  }
  slots_[view.complaint_id()] = release;
  return release;
}

absl::Status BacklogFold::Fold(Batch& batch, const ChangedComplaint& change) {
  auto slot = slots_.find(change.complaint_id);
  if (slot == slots_.end()) return absl::OkStatus();
  for (const v1::Envelope& event : change.events) {
    if (!event.has_backlog_entered()) continue;
    const v1::BacklogEntered& entered = event.backlog_entered();
    ASSIGN_OR_RETURN(v1::BacklogTally * tally, Tally(entered.department()));
    CountEntered(*tally, entered, slot->second, FromProto(event.recorded_at()), *rules_);
    batch.Put(Family::kCounts, BacklogKey(entered.department()), tally->SerializeAsString());
  }
  slots_.erase(slot);
  return absl::OkStatus();
}

ProjectionSpec BacklogProjection(const Store* store, const BacklogRules* rules) {
  return {.name = "imported backlog",
          .begin = [store, rules]() -> absl::StatusOr<std::unique_ptr<ProjectionFold>> {
            return std::make_unique<BacklogFold>(store, rules);
          },
          // Slots are taken only by the consumer's policy, whose batch holds
          // the whole gate; a command's fold counts nothing.
          .spans_complaints = false};
}

absl::StatusOr<size_t> SendBacklogSummaries(Store* store, Outbox* outbox, WriteGate* gate,
                                            const Notifier* notifier, absl::Time now) {
  std::vector<std::pair<std::string, v1::BacklogTally>> due;
  absl::Status corrupt = absl::OkStatus();
  const std::string end = "backlog0";  // just past every "backlog/..." key
  RETURN_IF_ERROR(
      store->Scan(Family::kCounts, kBacklogPrefix, end, SIZE_MAX,
                  [&](absl::string_view key, absl::string_view value) {
                    v1::BacklogTally tally;
                    if (!tally.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
                      corrupt = absl::DataLossError(
                          absl::StrCat("backlog tally ", EscapedPrefix(key), " is corrupt"));
                      return false;
                    }
                    if (SummaryDue(tally, now))
                      due.emplace_back(std::string(key), std::move(tally));
                    return true;
                  }));
  RETURN_IF_ERROR(corrupt);
  size_t sent = 0;
  for (auto& [key, tally] : due) {
    WriteGate::Exclusive writing(gate);
    // Read again under the gate: the consumer may have counted more since.
    ASSIGN_OR_RETURN(std::optional<std::string> stored, store->Get(Family::kCounts, key));
    if (!stored.has_value() || !tally.ParseFromString(*stored) || !SummaryDue(tally, now)) {
      continue;
    }
    UnitOfWork unit(store, outbox, Timeline::kKeep);
    if (notifier != nullptr) {
      const v1::Notification summary = notifier->Summary(tally, now);
      RETURN_IF_ERROR(
          unit.Publish({std::string(topics::kNotifications), key, summary.SerializeAsString()}));
    }
    tally.set_summaries(tally.summaries() + 1);
    tally.clear_pending();
    tally.clear_summary_due_at();
    unit.batch().Put(Family::kCounts, key, tally.SerializeAsString());
    RETURN_IF_ERROR(unit.Commit(Durability::kBuffered));
    ++sent;
  }
  return sent;
}

}  // namespace complaints::tracking
