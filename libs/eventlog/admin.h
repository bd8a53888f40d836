#pragma once
// Topic administration.

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/eventlog/kafka_config.h"

namespace complaints {

// How topics are created. A single local broker needs 1/1; production runs
// 3 replicas with min.insync.replicas 2, so that acks=all survives one broker.
struct TopicSettings {
  int partitions = 6;
  int replication_factor = 1;
  int min_insync_replicas = 1;
};

// Creates each topic that does not exist yet with `settings` and infinite
// retention (the log is the source of truth). Existing topics are left as
// they are, but must have settings.partitions partitions (FAILED_PRECONDITION
// otherwise). UNAVAILABLE when the broker did not answer within `timeout`.
absl::Status EnsureTopics(const KafkaOptions& options, const std::vector<absl::string_view>& topics,
                          const TopicSettings& settings, absl::Duration timeout);

}  // namespace complaints
