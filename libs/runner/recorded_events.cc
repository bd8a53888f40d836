#include "libs/runner/recorded_events.h"

#include "absl/synchronization/mutex.h"

namespace complaints {
namespace {

struct Counts {
  absl::Mutex mu;
  std::map<std::string, uint64_t> by_payload ABSL_GUARDED_BY(mu);
};

Counts& Global() {
  static Counts* counts = new Counts();  // never destroyed: counted to the last
  return *counts;
}

}  // namespace

void RecordedEvents::Add(absl::string_view payload, uint64_t count) {
  Counts& counts = Global();
  absl::MutexLock lock(&counts.mu);
  counts.by_payload[std::string(payload)] += count;
}

std::map<std::string, uint64_t> RecordedEvents::Snapshot() {
  Counts& counts = Global();
  absl::MutexLock lock(&counts.mu);
  return counts.by_payload;
}

}  // namespace complaints
