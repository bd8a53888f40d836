#pragma once
// A Kafka consumer whose offsets live in the service's own store, written in
// the same batch as the state they produced (docs/architecture.md invariant 2): on
// (re)assignment each partition resumes at the offset the store holds, so a
// restart neither skips nor re-applies anything.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/core/clock.h"
#include "libs/eventlog/kafka_config.h"
#include "libs/runner/records.h"
#include "libs/store/store.h"

namespace complaints {

struct ConsumerOptions {
  KafkaOptions kafka;
  std::string group_id;
  // Static group membership (KIP-345): a restarted instance with the same id
  // takes its partitions back at once instead of waiting out a rebalance.
  // Must be unique within the group (a StatefulSet pod name); empty disables it.
  std::string instance_id;
  std::vector<std::string> topics;
  size_t max_batch = 500;
  absl::Duration max_batch_wait = absl::Milliseconds(20);
  absl::Duration tick = absl::Seconds(1);
  // Dates what health() reports: the service's clock (--test_mode's too).
  const Clock* clock = SystemClock::Default();
  // Batch waits, ticks and retry pauses, as librdkafka's polls are.
  const MonotonicClock* monotonic = MonotonicClock::Default();
  // What a catch-up lets librdkafka read ahead (queued.max.messages.kbytes);
  // 0: sized by the store's partitions (catch_up.cc).
  int catch_up_read_ahead_kib = 0;
};

class EventConsumer {
 public:
  // Applies a batch of records in partition order. It must write the records'
  // effects and their offsets (StageConsumedOffset) in one store write, and
  // return OK only once that write is done; on error the batch is retried
  // (one log line when it starts failing, one when it recovers). While no
  // records come, it is called with an empty batch every `tick`.
  using Handler = std::function<absl::Status(const std::vector<ConsumedRecord>&)>;

  // Reads `topics` from the offsets `store` holds up to the ends they have
  // now, through `handler`, outside the consumer group, in batches of up to
  // options.max_batch; returns once every partition is caught up. A topic
  // fewer than `min_lag` records behind in all its partitions is left out.
  // The topics' records go out in the order they were written
  // (TimeOrderedMerge; on equal times, the order of `topics`).
  //  - A service reads its own topic this way before its inputs, so that after
  //    its state was deleted it knows what it decided already
  //    (docs/architecture.md invariant 7).
  //  - Far behind, it reads its inputs this way, all together, listed in the
  //    pipeline's order (the replay fast path, ServiceRuntime): a
  //    complaint's receipt comes before what other writers said about it, so
  //    nothing waits parked, and its records of every topic come close
  //    together, so its view is loaded and written once for them.
  // UNAVAILABLE when the broker does not answer; CANCELLED when `stop`
  // becomes true. Returns the records read, by topic, and the time spent
  // waiting for them (the rest went to `handler`).
  struct CatchUpResult {
    uint64_t records = 0;
    std::map<std::string, uint64_t> records_by_topic;
    absl::Duration waited;
    // Records handed on before their time because the merge was full, and
    // the most it held (TimeOrderedMerge).
    uint64_t released_early = 0;
    size_t peak_merge_bytes = 0;
    // Times the brokers were nudged after a wait (catch_up.cc).
    uint64_t nudges = 0;
  };
  static absl::StatusOr<CatchUpResult> CatchUp(const ConsumerOptions& options, Store* store,
                                               const std::vector<std::string>& topics,
                                               const Handler& handler,
                                               const std::atomic<bool>& stop, uint64_t min_lag = 0);
  static absl::StatusOr<CatchUpResult> CatchUp(const ConsumerOptions& options, Store* store,
                                               const std::string& topic, const Handler& handler,
                                               const std::atomic<bool>& stop,
                                               uint64_t min_lag = 0) {
    return CatchUp(options, store, std::vector<std::string>{topic}, handler, stop, min_lag);
  }

  // `store` holds the offsets and must outlive the consumer.
  static absl::StatusOr<std::unique_ptr<EventConsumer>> Create(ConsumerOptions options,
                                                               Store* store);
  ~EventConsumer();  // calls Stop()

  void Start(Handler handler);
  void Stop();

  // True once the group has assigned this consumer its partitions.
  bool assigned() const { return assigned_.load(); }
  uint64_t applied() const { return applied_.load(); }
  // Records handed to the handler and taken, since start, by topic.
  std::map<std::string, uint64_t> consumed_by_topic() const;
  // The end of `topic`'s `partition` as this consumer's fetches last saw it
  // (no call to the broker; thread-safe); nullopt until a fetch told it.
  std::optional<int64_t> HighWatermark(const std::string& topic, int32_t partition) const;

  struct Health {
    bool stuck = false;  // the current batch keeps failing
    absl::Time stuck_since = absl::InfinitePast();
    std::string last_error;
    bool stopped = false;   // gave up for good (see last_error)
    uint64_t renewals = 0;  // consumers replaced after a fatal error (Renew)
  };
  Health health() const;

 private:
  class Rebalance;
  EventConsumer(ConsumerOptions options, Store* store);
  absl::StatusOr<std::unique_ptr<RdKafka::KafkaConsumer>> Subscribe();
  void Loop();
  std::vector<ConsumedRecord> Poll();
  void Rewind(const std::vector<ConsumedRecord>& failed);
  // Replaces a consumer librdkafka has given up on (a fatal error: a static
  // member fenced by its own instance id, as when a broker restart outlasted
  // its session) with a new one under the same group.instance.id, which takes
  // the partitions back at the offsets the store holds. The first renewal is
  // at once; another within 5 minutes waits 1 s, then twice as long each
  // time up to 30 s, so that two processes wrongly sharing an instance id do
  // not fence each other in a tight loop.
  void Renew();

  ConsumerOptions options_;
  Store* store_;
  std::unique_ptr<Rebalance> rebalance_;
  // Written only by the loop's thread (Renew), under consumer_mu_; other
  // threads read it under consumer_mu_ (HighWatermark).
  mutable absl::Mutex consumer_mu_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  bool fatal_ = false;  // the loop's thread only
  absl::Duration renewal_backoff_ = absl::ZeroDuration();
  std::optional<Stopwatch> since_renewal_;
  Handler handler_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> assigned_{false};
  std::atomic<uint64_t> applied_{0};
  mutable absl::Mutex health_mu_;
  Health health_ ABSL_GUARDED_BY(health_mu_);
  std::map<std::string, uint64_t> consumed_by_topic_ ABSL_GUARDED_BY(health_mu_);
  void Fail(const absl::Status& status);
  void Stopped(const std::string& why);
};

}  // namespace complaints
