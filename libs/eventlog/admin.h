#pragma once
// Topic administration.

#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/eventlog/kafka_config.h"

namespace complaints {

// Creates each topic that does not exist yet with `partitions` partitions,
// replication factor 1 and infinite retention (the log is the source of
// truth). Existing topics are left as they are. UNAVAILABLE when the broker
// did not answer within `timeout`.
absl::Status EnsureTopics(const KafkaOptions& options, const std::vector<absl::string_view>& topics,
                          int partitions, absl::Duration timeout);

}  // namespace complaints
