// Durable timers. The index holds one entry per running timer of every
// complaint — partition prefix, fire time (big-endian micros), complaint id,
// NUL, timer name — kept in step with the views in the batch that writes
// them, so a rebuild from the topics rebuilds it too. A due entry is fired by
// removing it and recording what the decider makes of it in one batch.
#include "absl/strings/str_cat.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/topics.h"
#include "services/tracking/app/tracking_app.h"
#include "services/tracking/domain/due_timers.h"

namespace complaints::tracking {
namespace {

constexpr size_t kTimeBytes = 8;

std::string TimerKey(const std::string& complaint_id, const DueTimer& timer, int partitions) {
  return absl::StrCat(PartitionPrefix(PartitionOf(complaint_id, partitions)),
                      EncodeOrderedKey(static_cast<uint64_t>(absl::ToUnixMicros(timer.fire_at))),
                      complaint_id, absl::string_view("\0", 1), timer.name);
}

struct ParsedTimer {
  absl::Time fire_at;
  std::string complaint_id;
  std::string name;
};

bool ParseTimerKey(absl::string_view key, ParsedTimer* timer) {
  int32_t partition = 0;
  absl::string_view rest;
  if (!SplitPartitionKey(key, &partition, &rest) || rest.size() < kTimeBytes + 2) return false;
  timer->fire_at =
      absl::FromUnixMicros(static_cast<int64_t>(DecodeOrderedKey(rest.substr(0, kTimeBytes))));
  rest.remove_prefix(kTimeBytes);
  const size_t nul = rest.find('\0');
  if (nul == absl::string_view::npos || nul == 0 || nul + 1 == rest.size()) return false;
  timer->complaint_id = std::string(rest.substr(0, nul));
  timer->name = std::string(rest.substr(nul + 1));
  return true;
}

}  // namespace

void TrackingApp::IndexTimers(Batch& batch, const v1::ComplaintView& loaded,
                              const v1::ComplaintView& saved) const {
  const std::string& id = saved.complaint_id();
  const int partitions = options_.parts.store->partitions();
  const std::vector<DueTimer> before = DueTimers(loaded, options_.handling);
  const std::vector<DueTimer> after = DueTimers(saved, options_.handling);
  for (const DueTimer& timer : before) {
    if (std::find(after.begin(), after.end(), timer) == after.end()) {
      batch.Delete(Family::kTimers, TimerKey(id, timer, partitions));
    }
  }
  for (const DueTimer& timer : after) {
    if (std::find(before.begin(), before.end(), timer) == before.end()) {
      batch.Put(Family::kTimers, TimerKey(id, timer, partitions), "");
    }
  }
}

ScheduledQueue TrackingApp::TimerQueue() const {
  ScheduledQueue queue{.kind = "timer", .family = Family::kTimers};
  for (int32_t partition = 0; partition < options_.parts.store->partitions(); ++partition) {
    queue.prefixes.push_back(PartitionPrefix(partition));
  }
  return queue;
}

absl::StatusOr<size_t> TrackingApp::FireDueTimers(size_t limit) {
  if (!firing_.load()) return 0;
  const absl::Time now = options_.parts.clock->Now();
  const std::string due_end = EncodeOrderedKey(static_cast<uint64_t>(absl::ToUnixMicros(now)) + 1);
  std::vector<std::string> due;
  for (int32_t partition = 0; partition < options_.parts.store->partitions(); ++partition) {
    const std::string prefix = PartitionPrefix(partition);
    RETURN_IF_ERROR(options_.parts.store->Scan(Family::kTimers, prefix,
                                               absl::StrCat(prefix, due_end), limit - due.size(),
                                               [&](absl::string_view key, absl::string_view) {
                                                 due.emplace_back(key);
                                                 return due.size() < limit;
                                               }));
    if (due.size() >= limit) break;
  }
  for (const std::string& key : due) RETURN_IF_ERROR(Fire(key, now));
  ASSIGN_OR_RETURN(const size_t summaries, SendBacklogSummaries(now));
  return due.size() + summaries;
}

absl::Status TrackingApp::Fire(const std::string& key, absl::Time now) {
  ParsedTimer timer;
  if (!ParseTimerKey(key, &timer)) {
    log::Warn("tracking: dropping an unreadable timer entry {}", EscapedPrefix(key));
    Batch batch;
    batch.Delete(Family::kTimers, key);
    return options_.parts.store->Write(batch, Durability::kBuffered);
  }
  WriteGate::OneComplaint writing(options_.parts.gate, timer.complaint_id);
  UnitOfWork unit(options_.parts.store, options_.parts.outbox, Timeline::kKeep,
                  options_.parts.view_hook, options_.parts.record_hook);
  unit.batch().Delete(Family::kTimers, key);
  const EventContext context{
      now, now, ServiceActor("tracking", "timer"),
      absl::StrCat("timer:", timer.name, "@", absl::ToUnixMicros(timer.fire_at))};
  absl::Status fired;
  if (timer.name == kStatusReportTimer) {
    fired = RunDecider(unit, handling_, ReportStatus{timer.complaint_id, now}, timer.complaint_id,
                       v1::WRITER_TRACKING, topics::kTracking, context)
                .status();
  } else if (timer.name == kArchiveTimer) {
    fired = RunDecider(unit, handling_, ArchiveComplaint{timer.complaint_id, now},
                       timer.complaint_id, v1::WRITER_TRACKING, topics::kTracking, context)
                .status();
  } else if (timer.name == kLongTermCheckTimer) {
    fired = RunDecider(unit, handling_, RemindLongTermCheck{timer.complaint_id, now},
                       timer.complaint_id, v1::WRITER_TRACKING, topics::kTracking, context)
                .status();
  } else {
    fired = RunDecider(unit, decider_, FireTimer{timer.complaint_id, timer.name, now},
                       timer.complaint_id, v1::WRITER_TRACKING, topics::kTracking, context)
                .status();
  }
  // A refusal (the complaint moved on since the entry was written) fires as
  // nothing; a store error leaves the entry for the next round.
  if (!fired.ok() && !IsRejection(fired)) return fired;
  if (!fired.ok()) {
    unit.Note(log::Level::kWarn,
              {.complaint_id = timer.complaint_id, .causation_id = context.causation_id},
              absl::StrCat("tracking: timer ", EscapedPrefix(timer.name, 80),
                           " fired as nothing: ", fired.message()));
  }
  // Buffered: the relay syncs the WAL before it publishes what was decided here.
  return unit.Commit(Durability::kBuffered);
}

}  // namespace complaints::tracking
