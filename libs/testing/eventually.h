#pragma once
// Waiting for something asynchronous (a broker, a consumer, another process)
// in tests, bounded in time.

#include <functional>

#include "absl/time/time.h"

namespace complaints::testing {

// Polls `done` every `every` until it returns true or `timeout` passes;
// returns its last answer.
bool Eventually(const std::function<bool()>& done, absl::Duration timeout,
                absl::Duration every = absl::Milliseconds(50));

}  // namespace complaints::testing
