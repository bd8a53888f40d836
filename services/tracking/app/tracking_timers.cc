// Durable timers. The index holds one entry per running timer of every
// complaint — partition prefix, fire time (big-endian micros), complaint id,
// NUL, timer name — kept in step with the views in the batch that writes
// them, so a rebuild from the topics rebuilds it too. A due entry is fired by
// removing it and recording what the decider makes of it in one batch.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/runner/partitioning.h"
#include "services/tracking/app/tracking_families.h"
#include "services/tracking/app/tracking_projections.h"
#include "services/tracking/domain/due_timers.h"

namespace complaints::tracking {
namespace {

constexpr size_t kTimeBytes = 8;

std::string TimerKey(const std::string& complaint_id, const DueTimer& timer, int partitions) {
  return absl::StrCat(PartitionPrefix(PartitionOf(complaint_id, partitions)),
                      EncodeOrderedKey(static_cast<uint64_t>(absl::ToUnixMicros(timer.fire_at))),
                      complaint_id, absl::string_view("\0", 1), timer.name);
}

bool ParseTimerKey(absl::string_view key, DueEntry* entry) {
  int32_t partition = 0;
  absl::string_view rest;
  if (!SplitPartitionKey(key, &partition, &rest) || rest.size() < kTimeBytes + 2) return false;
  entry->key = std::string(key);
  entry->fire_at =
      absl::FromUnixMicros(static_cast<int64_t>(DecodeOrderedKey(rest.substr(0, kTimeBytes))));
  rest.remove_prefix(kTimeBytes);
  const size_t nul = rest.find('\0');
  if (nul == absl::string_view::npos || nul == 0 || nul + 1 == rest.size()) return false;
  entry->complaint_id = std::string(rest.substr(0, nul));
  entry->timer = std::string(rest.substr(nul + 1));
  return true;
}

}  // namespace

absl::Status TimersFold::Fold(Batch& batch, const ChangedComplaint& change) {
  for (const std::string& key : fired_) batch.Delete(kTimersFamily, key);
  fired_.clear();
  const int partitions = store_->partitions();
  // Equal deadline timers (most events) are left out of both lists, so the
  // diff below is the same without them.
  const TimerSet set = SameDeadlineTimers(change.before, change.after) ? TimerSet::kWithoutDeadlines
                                                                       : TimerSet::kAll;
  const std::vector<DueTimer> before = DueTimers(change.before, *handling_, set);
  const std::vector<DueTimer> after = DueTimers(change.after, *handling_, set);
  // Most events leave the timers as they were: one pass over both instead
  // of the search of each in the other below.
  if (before == after) return absl::OkStatus();
  for (const DueTimer& timer : before) {
    if (std::find(after.begin(), after.end(), timer) == after.end()) {
      batch.Delete(kTimersFamily, TimerKey(change.complaint_id, timer, partitions));
    }
  }
  for (const DueTimer& timer : after) {
    if (std::find(before.begin(), before.end(), timer) == before.end()) {
      batch.Put(kTimersFamily, TimerKey(change.complaint_id, timer, partitions), "");
    }
  }
  return absl::OkStatus();
}

ProjectionSpec TimersProjection(const Store* store, const v1::HandlingPolicy* handling) {
  return {.name = "due timers",
          .begin = [store, handling]() -> absl::StatusOr<std::unique_ptr<ProjectionFold>> {
            return std::make_unique<TimersFold>(store, handling);
          }};
}

ScheduledQueue TimerSchedule(int partitions) {
  ScheduledQueue queue{.kind = "timer", .family = kTimersFamily};
  for (int32_t partition = 0; partition < partitions; ++partition) {
    queue.prefixes.push_back(PartitionPrefix(partition));
  }
  return queue;
}

absl::StatusOr<std::vector<DueEntry>> DueEntries(Store* store, absl::Time now, size_t limit) {
  const std::string due_end = EncodeOrderedKey(static_cast<uint64_t>(absl::ToUnixMicros(now)) + 1);
  std::vector<DueEntry> due;
  Batch unreadable;
  for (int32_t partition = 0; partition < store->partitions() && due.size() < limit; ++partition) {
    const std::string prefix = PartitionPrefix(partition);
    RETURN_IF_ERROR(store->Scan(kTimersFamily, prefix, absl::StrCat(prefix, due_end),
                                limit - due.size(), [&](absl::string_view key, absl::string_view) {
                                  DueEntry entry;
                                  if (ParseTimerKey(key, &entry)) {
                                    due.push_back(std::move(entry));
                                  } else {
                                    log::Warn("tracking: dropping an unreadable timer entry {}",
                                              EscapedPrefix(key));
                                    unreadable.Delete(kTimersFamily, std::string(key));
                                  }
                                  return due.size() < limit;
                                }));
  }
  if (!unreadable.empty()) RETURN_IF_ERROR(store->Write(unreadable, Durability::kBuffered));
  return due;
}

}  // namespace complaints::tracking
