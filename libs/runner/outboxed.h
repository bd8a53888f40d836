#pragma once
// For tests: the events an outbox holds, in the order the relay publishes them.

#include <vector>

#include "complaints/v1/events.pb.h"
#include "libs/store/store.h"

namespace complaints::testing {

std::vector<v1::Envelope> Outboxed(const Store& store);

}  // namespace complaints::testing
