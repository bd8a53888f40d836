#include "libs/runner/recorded_events.h"

#include "absl/synchronization/mutex.h"

namespace complaints {
namespace {

struct Global {
  absl::Mutex mu;
  RecordedEvents::Counts counts ABSL_GUARDED_BY(mu);
};

Global& TheCounts() {
  static Global* global = new Global();  // never destroyed: counted to the last
  return *global;
}

}  // namespace

void RecordedEvents::Add(absl::string_view payload, absl::string_view rule) {
  Global& global = TheCounts();
  absl::MutexLock lock(&global.mu);
  global.counts.by_payload[std::string(payload)] += 1;
  if (!rule.empty()) global.counts.by_rule[{std::string(payload), std::string(rule)}] += 1;
}

RecordedEvents::Counts RecordedEvents::Snapshot() {
  Global& global = TheCounts();
  absl::MutexLock lock(&global.mu);
  return global.counts;
}

}  // namespace complaints
