#pragma once
// Topic administration.

#include <string>
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
  // The compacted topics (topics::IsCompacted): an erased key's record is
  // physically gone once the segment holding its tombstone has rolled
  // (segment_ms; intake appends a marker so a quiet topic rolls too) and the
  // cleaner has run (broker log.cleaner.backoff.ms, 15 s by default) — within
  // about segment_ms + 1 min. The tombstone itself is kept delete_retention_ms,
  // so a consumer that was behind still sees the erasure.
  int64_t compacted_segment_ms = 60 * 60 * 1000;
  int64_t compacted_delete_retention_ms = 24 * 60 * 60 * 1000;
  double compacted_min_dirty_ratio = 0.01;
};

// Creates each topic that does not exist yet with `settings` and infinite
// retention (the log is the source of truth), or compaction for the key topic; a topic the caller
// may see already is not created again (so a service needs CREATE only on the topics it owns).
// Existing topics are left as they are, but must have settings.partitions partitions
// (FAILED_PRECONDITION otherwise). UNAVAILABLE when the broker did not answer within `timeout` or
// refused a creation.
absl::Status EnsureTopics(const KafkaOptions& options, const std::vector<absl::string_view>& topics,
                          const TopicSettings& settings, absl::Duration timeout);

// What one Kafka user may do with the platform's topics: write (and create)
// its own, read what it consumes with its consumer group, see the rest.
struct TopicAccess {
  std::string user;  // the SCRAM user, principal User:<user>
  std::vector<std::string> writes;
  std::vector<std::string> reads;
  std::string group;  // consumer group; empty when it consumes nothing
};

// The platform's single-writer table (docs/architecture.md "Topics and ownership"):
// one entry per service.
const std::vector<TopicAccess>& PlatformTopicAccess();

// Writes the ACLs of `access` (allow only; the broker denies what no ACL
// allows). Adding an ACL that exists is harmless. Needs an admin client.
absl::Status EnsureAcls(const KafkaOptions& admin, const std::vector<TopicAccess>& access,
                        absl::Duration timeout);

}  // namespace complaints
