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
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/complaint/view.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "libs/runner/topics.h"
#include "services/tracking/app/tracking_app.h"

namespace complaints::tracking {

absl::Status TrackingApp::EnterBacklogOf(UnitOfWork& unit, const v1::Envelope& event,
                                         absl::Time now,
                                         std::map<std::string, v1::BacklogTally>& tallies) {
  const std::string& complaint_id = event.complaint_id();
  ASSIGN_OR_RETURN(const v1::ComplaintView view, unit.View(complaint_id));
  if (!JoinsBacklog(view)) return absl::OkStatus();
  const std::string& department = view.dispatch().department();
  auto cached = tallies.find(department);
  if (cached == tallies.end()) {
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     options_.parts.store->Get(Family::kCounts, BacklogKey(department)));
    cached = tallies.emplace(department, v1::BacklogTally()).first;
    if (stored.has_value() && !cached->second.ParseFromString(*stored)) {
      return absl::DataLossError(
          absl::StrCat("the backlog tally of ", EscapedPrefix(department), " is corrupt"));
    }
  }
  v1::BacklogTally& tally = cached->second;
  std::optional<absl::Time> release;
  if (view.tracking().sla().backlog()) {
    release = ReleaseSlot(tally, FromProto(view.intake().history().imported_at()), backlog_rules_);
  }
  const EventContext context{now, now, ServiceActor("tracking", "history-import"),
                             event.event_id()};
  ASSIGN_OR_RETURN(std::vector<v1::Envelope> recorded,
                   RunDecider(unit, decider_, EnterBacklog{complaint_id, department, release},
                              complaint_id, v1::WRITER_TRACKING, topics::kTracking, context));
  for (const v1::Envelope& entered : recorded) {
    if (!entered.has_backlog_entered()) continue;
    CountEntered(tally, entered.backlog_entered(), release, now, backlog_rules_);
    unit.batch().Put(Family::kCounts, BacklogKey(department), tally.SerializeAsString());
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> TrackingApp::SendBacklogSummaries(absl::Time now) {
  std::vector<std::pair<std::string, v1::BacklogTally>> due;
  absl::Status corrupt = absl::OkStatus();
  const std::string end = "backlog0";  // just past every "backlog/..." key
  RETURN_IF_ERROR(options_.parts.store->Scan(
      Family::kCounts, kBacklogPrefix, end, SIZE_MAX,
      [&](absl::string_view key, absl::string_view value) {
        v1::BacklogTally tally;
        if (!tally.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = absl::DataLossError(
              absl::StrCat("backlog tally ", EscapedPrefix(key), " is corrupt"));
          return false;
        }
        if (SummaryDue(tally, now)) due.emplace_back(std::string(key), std::move(tally));
        return true;
      }));
  RETURN_IF_ERROR(corrupt);
  size_t sent = 0;
  for (auto& [key, tally] : due) {
    WriteGate::Exclusive writing(options_.parts.gate);
    // Read again under the gate: the consumer may have counted more since.
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     options_.parts.store->Get(Family::kCounts, key));
    if (!stored.has_value() || !tally.ParseFromString(*stored) || !SummaryDue(tally, now)) {
      continue;
    }
    UnitOfWork unit(options_.parts.store, options_.parts.outbox, Timeline::kKeep);
    if (options_.notifier != nullptr) {
      const v1::Notification summary = options_.notifier->Summary(tally, now);
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
