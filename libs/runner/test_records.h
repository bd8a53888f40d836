#pragma once
// For tests: records as a consumer receives them, and the events an outbox holds.

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "complaints/v1/events.pb.h"
#include "libs/runner/records.h"
#include "libs/store/store.h"

namespace complaints::testing {

// `event` as read from `topic` at `offset`, keyed by its complaint id, on the
// partition that key gives among `partitions`.
ConsumedRecord ConsumedOf(absl::string_view topic, const v1::Envelope& event, int64_t offset,
                          int partitions = Store::kDefaultPartitions);

// The events an outbox holds, in the order the relay publishes them (not the
// evidence and notification records beside them).
std::vector<v1::Envelope> Outboxed(const Store& store);

}  // namespace complaints::testing
