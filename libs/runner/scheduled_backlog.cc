#include "libs/runner/scheduled_backlog.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"

namespace complaints {

absl::StatusOr<ScheduledBacklog> MeasureBacklog(const Store& store, const ScheduledQueue& queue,
                                                absl::Time now) {
  constexpr size_t kTimeBytes = 8;
  const std::string due_end = EncodeOrderedKey(static_cast<uint64_t>(absl::ToUnixMicros(now)) + 1);
  ScheduledBacklog backlog{.kind = queue.kind};
  for (const std::string& prefix : queue.prefixes) {
    if (backlog.due >= kBacklogScanLimit) break;
    // Keys are in due order under a prefix: the first is its oldest.
    bool first = true;
    RETURN_IF_ERROR(store.Scan(queue.family, prefix, absl::StrCat(prefix, due_end),
                               static_cast<size_t>(kBacklogScanLimit - backlog.due),
                               [&](absl::string_view key, absl::string_view) {
                                 if (first && key.size() >= prefix.size() + kTimeBytes) {
                                   const absl::Time at = absl::FromUnixMicros(static_cast<int64_t>(
                                       DecodeOrderedKey(key.substr(prefix.size(), kTimeBytes))));
                                   backlog.lag = std::max(backlog.lag, now - at);
                                 }
                                 first = false;
                                 ++backlog.due;
                                 return true;
                               }));
  }
  return backlog;
}

}  // namespace complaints
