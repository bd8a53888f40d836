#pragma once
// Process-wide counts of the events this process recorded, by payload name
// ("deadline_breached"), counted when their unit of work commits: what the
// status port exports as complaints_events_recorded_total. Thread-safe.

#include <cstdint>
#include <map>
#include <string>

#include "absl/strings/string_view.h"

namespace complaints {

class RecordedEvents {
 public:
  static void Add(absl::string_view payload, uint64_t count = 1);
  static std::map<std::string, uint64_t> Snapshot();
};

}  // namespace complaints
