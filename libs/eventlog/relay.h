#pragma once
// The outbox relay: one thread that publishes outbox entries to Kafka through
// an idempotent producer (acks=all, enable.idempotence=true,
// partitioner=murmur2_random) in sequence order, and deletes each entry once
// the broker has acknowledged it. While Kafka is down, entries wait in the
// outbox; a crash before the delete re-publishes them (consumers skip events
// they have applied), so delivery is at least once and application exactly once.
//
// Nothing can stop it (docs/architecture.md invariant 6): an entry the broker refuses for
// good (too large, unknown topic, not authorised, invalid) becomes a dead
// letter in the same batch that deletes it from the outbox; the idempotent
// producer's fatal state recreates the producer; other failures are retried
// from the oldest entry left with exponential backoff. Each incident is
// logged once when it starts and once when it ends.

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/core/clock.h"
#include "libs/eventlog/kafka_config.h"
#include "libs/runner/dead_letters.h"
#include "libs/runner/outbox.h"
#include "libs/runner/published_offsets.h"

namespace complaints {

struct RelayOptions {
  KafkaOptions kafka;
  DeadLetters* dead_letters = nullptr;  // required
  // Told where each record landed, for the service's consumer (optional).
  PublishedOffsets* published = nullptr;
  // Dates failures; the service's clock (--test_mode's too).
  const Clock* clock = SystemClock::Default();
  // Waits, backoffs, sync spacing and the drain timeout.
  const MonotonicClock* monotonic = MonotonicClock::Default();
  size_t max_in_flight = 10'000;
  // Bytes handed to librdkafka and not yet acknowledged: what the relay's
  // queue may cost in memory while large records (evidence) pass through.
  size_t max_in_flight_bytes = 8 << 20;
  // How long Stop() waits for in-flight events to be acknowledged.
  absl::Duration drain_timeout = absl::Seconds(10);
  // At most one WAL sync for buffered batches per interval (Outbox::SyncPending).
  absl::Duration sync_interval = absl::Milliseconds(10);
  absl::Duration min_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(5);
  // Nothing acknowledged for this long while entries wait: the relay is stuck.
  absl::Duration stuck_after = absl::Seconds(30);
};

class OutboxRelay {
 public:
  // `outbox` and everything in `options` must outlive the relay.
  static absl::StatusOr<std::unique_ptr<OutboxRelay>> Create(Outbox* outbox, RelayOptions options);
  ~OutboxRelay();  // calls Stop()

  void Start();
  // Publishes what it can within the drain timeout, then stops. Idempotent.
  void Stop();

  // Entries acknowledged by Kafka since start.
  uint64_t published() const { return published_.load(); }
  // Records Kafka acknowledged since start, by topic.
  std::map<std::string, uint64_t> published_by_topic() const;
  // Entries waiting in the outbox or in flight.
  uint64_t backlog() const { return outbox_->depth(); }

  struct Health {
    bool stuck = false;
    absl::Time stuck_since = absl::InfinitePast();
    std::string last_error;
  };
  Health health() const;

 private:
  class DeliveryReports;
  OutboxRelay(Outbox* outbox, RelayOptions options);
  absl::Status CreateProducer();
  void Loop();
  // Produces entries from the cursor up to SafeLimit(); returns how many.
  size_t ProduceAvailable();
  void DeleteDelivered();
  // Dead-letters the entries the broker refused for good.
  void BuryRefused();
  // After a failure: wait for what is in flight, then start again from the oldest entry.
  void Recover(const Deadline& deadline);
  void Rewind();
  void Incident(const std::string& error);
  void Progress();

  Outbox* outbox_;
  RelayOptions options_;
  std::unique_ptr<DeliveryReports> reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> published_{0};
  uint64_t cursor_ = 0;     // next sequence to produce; touched only by the relay thread
  absl::Duration backoff_;  // relay thread only
  mutable absl::Mutex health_mu_;
  Health health_ ABSL_GUARDED_BY(health_mu_);
  absl::Time failing_since_ ABSL_GUARDED_BY(health_mu_) = absl::InfiniteFuture();
};

}  // namespace complaints
