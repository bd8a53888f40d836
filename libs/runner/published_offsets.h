#pragma once
// Where this process's relay published its own topic's records, so that its
// consumer, reading them back, passes them by without decoding, verifying or
// loading their views (a fifth of the records a service consumes live).
//
// The skip is exact: a record the relay published was decided here and its
// state stored and synced before the relay took it (Outbox), so reading it
// back could only have found its sequence applied (CheckOrder's kSkip). The
// broker acknowledged it at that offset to this producer alone; only this
// service writes its topic. A record read anywhere else (after a restart, a
// duplicate of an earlier producer's, or past the bound below) goes through
// every check as before.
//
// Memory: at most kMaxPerPartition offsets per partition; past that the
// oldest are forgotten (their records are checked in full when read).

#include <cstdint>
#include <deque>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace complaints {

class PublishedOffsets {
 public:
  static constexpr size_t kMaxPerPartition = 1 << 16;

  explicit PublishedOffsets(std::string topic) : topic_(std::move(topic)) {}

  // The broker acknowledged a record at `offset`; other topics are ignored.
  // Thread-safe.
  void Published(absl::string_view topic, int32_t partition, int64_t offset);

  // True once for a record of the topic that Published named: reading it
  // back needs no check. Offsets below it are forgotten (a partition is read
  // in order). Thread-safe.
  bool Take(absl::string_view topic, int32_t partition, int64_t offset);

 private:
  const std::string topic_;
  absl::Mutex mu_;
  // Ascending per partition: a partition's acknowledgements come in order.
  absl::flat_hash_map<int32_t, std::deque<int64_t>> offsets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace complaints
