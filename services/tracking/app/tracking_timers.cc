// Durable timers. The index holds, for every complaint with a running
// timer, an entry for the first of them in (fire time, name) order — partition
// prefix, fire time (big-endian micros), complaint id, NUL, timer name — kept
// in step with the views in the batch that writes them, so a rebuild from the
// topics rebuilds it too. A due entry is fired by removing it and recording
// what the decider makes of it in one batch, which also indexes the
// complaint's next timer after the one fired.
//
// Why one entry per complaint is enough (it was one per timer: 22 writes per
// complaint, most of tracking's): the index always holds, for each timer that
// would decide something when due, an entry of its complaint at or before it.
//  - A change of the complaint's timers indexes the first of the new list.
//  - Firing an entry indexes the first timer after it. A timer before it
//    either fired already or would decide nothing (a first-response deadline
//    after the receiver accepted), so nothing live is skipped; one that
//    decides nothing fires once and passes the turn on.
// An entry left over (the first of an earlier list, a release that indexed
// every timer) fires once and decides nothing, as a stale timer always did.
#include <optional>
#include <utility>

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

// A timer's place among its complaint's entries: the key's order.
using TimerOrder = std::pair<int64_t, absl::string_view>;

TimerOrder OrderOf(const DueTimer& timer) {
  return {absl::ToUnixMicros(timer.fire_at), timer.name};
}
TimerOrder OrderOf(const DueEntry& entry) {
  return {absl::ToUnixMicros(entry.fire_at), entry.timer};
}

// The first of `timers` in key order that comes after `after` (all of them
// when nullopt).
std::optional<DueTimer> FirstAfter(const std::vector<DueTimer>& timers,
                                   const std::optional<TimerOrder>& after) {
  std::optional<DueTimer> first;
  for (const DueTimer& timer : timers) {
    if (after.has_value() && OrderOf(timer) <= *after) continue;
    if (!first.has_value() || OrderOf(timer) < OrderOf(*first)) first = timer;
  }
  return first;
}

}  // namespace

absl::Status TimersFold::Fold(Batch& batch, const ChangedComplaint& change) {
  std::vector<DueEntry> fired;
  std::vector<DueEntry> others;
  for (DueEntry& entry : fired_) {
    (entry.complaint_id == change.complaint_id ? fired : others).push_back(std::move(entry));
  }
  fired_ = std::move(others);
  for (const DueEntry& entry : fired) batch.Delete(kTimersFamily, entry.key);
  // Equal deadline timers (most events) are left out of both lists, so that
  // most events compare a few timers instead of a plan's.
  const bool same_deadlines = SameDeadlineTimers(change.before, change.after);
  const TimerSet set = same_deadlines ? TimerSet::kWithoutDeadlines : TimerSet::kAll;
  const std::vector<DueTimer> before = DueTimers(change.before, *handling_, set);
  const std::vector<DueTimer> after = DueTimers(change.after, *handling_, set);
  const bool changed = before != after;
  if (!changed && fired.empty()) return absl::OkStatus();
  const std::vector<DueTimer> after_all =
      set == TimerSet::kAll ? after : DueTimers(change.after, *handling_, TimerSet::kAll);
  const int partitions = store_->partitions();
  std::vector<std::string> puts;
  if (changed) {
    const std::optional<DueTimer> first_after = FirstAfter(after_all, std::nullopt);
    const std::optional<DueTimer> first_before = FirstAfter(
        set == TimerSet::kAll ? before : DueTimers(change.before, *handling_), std::nullopt);
    if (first_before.has_value() && first_before != first_after) {
      batch.Delete(kTimersFamily, TimerKey(change.complaint_id, *first_before, partitions));
    }
    if (first_after.has_value())
      puts.push_back(TimerKey(change.complaint_id, *first_after, partitions));
  }
  for (const DueEntry& entry : fired) {
    const std::optional<DueTimer> next = FirstAfter(after_all, OrderOf(entry));
    if (next.has_value()) puts.push_back(TimerKey(change.complaint_id, *next, partitions));
  }
  // After every delete: an entry removed above may be put back.
  for (std::string& key : puts) batch.Put(kTimersFamily, std::move(key), "");
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
