#pragma once
// The outbox relay: one thread that publishes outbox entries to Kafka through
// an idempotent producer (acks=all, enable.idempotence=true,
// partitioner=murmur2_random) in sequence order, and deletes each entry once
// the broker has acknowledged it. While Kafka is down, entries wait in the
// outbox; a crash before the delete re-publishes them (consumers skip events
// they have applied), so delivery is at least once and application exactly once.

#include <atomic>
#include <memory>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/eventlog/kafka_config.h"
#include "libs/eventlog/outbox.h"

namespace complaints {

struct RelayOptions {
  KafkaOptions kafka;
  size_t max_in_flight = 10'000;
  // How long Stop() waits for in-flight events to be acknowledged.
  absl::Duration drain_timeout = absl::Seconds(10);
};

class OutboxRelay {
 public:
  // `outbox` must outlive the relay.
  static absl::StatusOr<std::unique_ptr<OutboxRelay>> Create(Outbox* outbox, RelayOptions options);
  ~OutboxRelay();  // calls Stop()

  void Start();
  // Publishes what it can within the drain timeout, then stops. Idempotent.
  void Stop();

  // Entries acknowledged by Kafka since start.
  uint64_t published() const { return published_.load(); }
  // Entries waiting in the outbox or in flight.
  uint64_t backlog() const;

 private:
  class DeliveryReports;
  OutboxRelay(Outbox* outbox, RelayOptions options);
  void Loop();
  // Produces entries from the cursor up to SafeLimit(); returns how many.
  size_t ProduceAvailable();
  void DeleteDelivered();
  void Rewind();

  Outbox* outbox_;
  RelayOptions options_;
  std::unique_ptr<DeliveryReports> reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> published_{0};
  uint64_t cursor_ = 0;  // next sequence to produce; touched only by the relay thread
};

}  // namespace complaints
