#pragma once
// Process-wide counts of the events this process recorded, counted when their
// unit of work commits: by payload name ("deadline_breached"), and for the
// decisions a rule made (an event whose payload names a RuleRef: classified,
// assigned, transferred) by payload and rule id. What the status port exports
// as complaints_events_recorded_total and complaints_decisions_total.
// Thread-safe.

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace complaints {

class RecordedEvents {
 public:
  // `rule` is the deciding rule's id, empty for an event no rule decided.
  static void Add(absl::string_view payload, absl::string_view rule = "");

  struct Counts {
    std::map<std::string, uint64_t> by_payload;
    std::map<std::pair<std::string, std::string>, uint64_t> by_rule;  // (payload, rule id)
  };
  static Counts Snapshot();
};

}  // namespace complaints
