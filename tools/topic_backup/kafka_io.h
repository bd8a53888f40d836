#pragma once
// complaints-topics' two directions: every platform topic's partitions
// exported to archive files with a manifest, and an export written back into
// an empty cluster, partition by partition in the same order.

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/eventlog/kafka_config.h"

namespace complaints::topic_backup {

struct ExportOptions {
  KafkaOptions kafka;
  std::string out_dir;  // must not exist, or be empty
  absl::Duration timeout = absl::Seconds(30);
};

// Writes <out_dir>/<topic>/<partition>.rec for every platform topic and
// <out_dir>/manifest.json (each partition's low and high offsets, record
// count and SHA-256). The ends of all partitions are read first and each is
// exported up to its end, so records written during the export are left out.
absl::Status ExportTopics(const ExportOptions& options);

struct ImportOptions {
  KafkaOptions kafka;
  std::string in_dir;
  int replication_factor = 1;
  int min_insync_replicas = 1;
  absl::Duration timeout = absl::Seconds(30);
};

// Checks every file against the manifest before writing anything, creates the
// topics that are missing (with the manifest's partition counts), refuses a
// target partition that holds records, then writes each partition's records
// in order (idempotent producer: no duplicates, no reordering) with their
// keys, tombstones and timestamps. Prints, per partition, whether the offsets
// came out as they were (they do unless the source had been compacted or
// truncated): services may resume from stored offsets only where they did.
absl::Status ImportTopics(const ImportOptions& options);

struct MarkOptions {
  KafkaOptions kafka;
  std::string out_file;  // must not exist
  absl::Duration timeout = absl::Seconds(30);
};

// The upgrade to authenticated records (docs/architecture.md invariant 8): writes
// `out_file`, an UnauthenticatedRecords textproto holding the end offset of
// every platform topic's partitions that holds records, for the services'
// --unauthenticated_before. Run it with the services stopped, before the
// release that signs starts: everything below those offsets was written
// before authentication began.
absl::Status MarkAuthentication(const MarkOptions& options);

}  // namespace complaints::topic_backup
