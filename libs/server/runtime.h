#pragma once
// The process shell every service shares: open the store and outbox, start
// the outbox relay, the consumer (if the service consumes) and the gRPC host;
// report ready once the consumer holds its partitions; on SIGTERM drain in
// order — stop taking calls, stop consuming, publish what the outbox holds.

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/core/clock.h"
#include "libs/eventlog/consumer.h"
#include "libs/eventlog/relay.h"
#include "libs/runner/consumed_batch.h"
#include "libs/runner/dead_letters.h"
#include "libs/runner/outbox.h"
#include "libs/runner/published_offsets.h"
#include "libs/server/admin_service.h"
#include "libs/server/backups.h"
#include "libs/server/host.h"
#include "libs/server/metrics.h"
#include "libs/server/status_http.h"
#include "libs/store/store.h"

namespace complaints {

struct RuntimeOptions {
  std::string service;  // e.g. "dispatch"; also the consumer group id
  std::string listen = "127.0.0.1:0";
  std::string data_dir;
  KafkaOptions kafka;
  int partitions = 6;
  // The store families the service declares besides the shared ones.
  std::vector<Family> families = {};
  std::vector<std::string> consume;  // topics; empty when the service consumes nothing
  // The topic this service writes, read back to its end before anything else
  // when it also consumes (a rebuild then decides nothing anew). Empty: none.
  std::string own_topic;
  std::string instance_id;  // static group membership id; defaults to `service`
  // The replay fast path: at start, an input topic this many records behind
  // or more is read to its end outside the group, in batches of
  // `replay_batch`, before the consumer joins — the inputs together, in the
  // order their records were written (EventConsumer::CatchUp), so a
  // complaint's receipt is read before what other writers said of it and
  // nothing waits parked.
  uint64_t replay_lag = 5'000;
  size_t replay_batch = 2'000;
  size_t max_event_bytes = kDefaultMaxRecordBytes;
  // How long a consumed record may wait for its predecessor (ApplierOptions).
  absl::Duration park_timeout = absl::Minutes(10);
  // Topic settings EnsureTopics uses when it creates a topic.
  int replication_factor = 1;
  int min_insync_replicas = 1;
  // Ready without the broker (intake keeps taking complaints through an
  // outage): at once, unless the store is fresh — then only after own_topic
  // was read back, so a deleted store is rebuilt before anything is decided.
  bool serves_without_broker = false;
  // Where the Kafka password was read from (kafka.password), for messages.
  std::string kafka_password_file;
  // Transport and access policy every call is admitted through (required).
  std::shared_ptr<const ServerSecurity> security;
  // Signs what the service publishes and verifies what it reads (required;
  // record_auth.h).
  std::shared_ptr<const RecordAuthority> authority;
  // Set only with --test_mode: the clock the service runs on, which the Admin
  // API's AdvanceClock moves ahead. Null: the wall clock.
  AdvancingClock* test_clock = nullptr;
  // The centre's IANA zone (--time_zone), served by Admin.GetCentre.
  std::string time_zone = "Asia/Shanghai";
  // host:port of the status port (/healthz, /readyz, /metrics; status_http.h).
  // Empty: none.
  std::string status_listen;
  BuildInfo build;
  // Backups of the store (backups.h): the folder (empty: none), how often one
  // is taken (zero: only through the Admin API) and how many are kept.
  std::string backup_dir;
  absl::Duration backup_every = absl::ZeroDuration();
  int backup_keep = 7;
  // "latest" or a backup id: restore that backup of backup_dir into an empty
  // data_dir before opening it. The service is then ready only once it has
  // read its own topic back to the end, as with a fresh store, so nothing it
  // published after the backup is decided again.
  std::string restore_backup;
};

class ServiceRuntime {
 public:
  // Opens the store under options.data_dir and prepares the relay and consumer.
  // INVALID_ARGUMENT for a status_listen that is not host:port.
  static absl::StatusOr<std::unique_ptr<ServiceRuntime>> Open(RuntimeOptions options);
  ~ServiceRuntime();

  // What the service's app runs on.
  RunnerParts parts() const {
    return {.store = store_.get(),
            .outbox = outbox_.get(),
            .dead_letters = dead_letters_.get(),
            .clock = clock(),
            .park_timeout = options_.park_timeout,
            .gate = gate_.get(),
            .published = published_.get()};
  }
  // The clock the service's app must run on.
  const Clock* clock() const {
    if (options_.test_clock != nullptr) return options_.test_clock;
    return SystemClock::Default();
  }
  Store* store() const { return store_.get(); }
  Outbox* outbox() const { return outbox_.get(); }
  DeadLetters* dead_letters() const { return dead_letters_.get(); }

  // Starts serving `services` and the Admin API, and the status port when
  // options.status_listen names one (every unary call is counted and timed
  // there). `applier` (which must outlive the runtime) is required when
  // options.consume is not empty.
  absl::Status Serve(const std::vector<CallbackService*>& services, ConsumedApplier* applier);

  // Runs `task` every `period` on a thread of its own from Serve until
  // shutdown (the shell's timers). REQUIRES: before Serve.
  void Every(absl::Duration period, std::function<void()> task);

  // Runs `done` once own_topic has been read back to its end, or at Serve
  // when the service serves without the broker and its store is not fresh.
  // REQUIRES: before Serve.
  void OnReadBack(std::function<void()> done) { read_back_ = std::move(done); }

  // Runs `done` once the inputs far behind were replayed (the replay fast
  // path, RuntimeOptions::replay_lag), just before the consumer joins its
  // group: what must not act on a half-rebuilt state (tracking's timers: a
  // deadline whose complaint a later input closed) starts here.
  // REQUIRES: before Serve.
  void OnCaughtUp(std::function<void()> done) { caught_up_ = std::move(done); }

  // Records of `topic` (one of options.consume, written by this service but
  // not events: intake's evidence bytes) go to `handler`, which stores them
  // with their offsets, instead of the applier. The topic is read back to its
  // end with own_topic, before the service is ready. REQUIRES: before Serve.
  void OnRecordsOf(std::string topic, EventConsumer::Handler handler) {
    side_topics_.emplace_back(std::move(topic), std::move(handler));
  }

  // True when the store held nothing (no state, offsets or outbox) at Open.
  bool fresh_store() const { return fresh_store_; }

  // Exports how far behind `queue` is on the status port. REQUIRES: before Serve.
  void Schedule(ScheduledQueue queue) { scheduled_.push_back(std::move(queue)); }

  // Blocks until SIGTERM or SIGINT, then shuts down. Returns the process exit
  // code: 0, or 2 when the service stopped itself over a misconfiguration
  // (topics whose partition count is not --partitions). REQUIRES:
  // BlockTerminationSignals() was called before any thread started.
  int RunUntilSignalled();
  void Shutdown();

 private:
  explicit ServiceRuntime(RuntimeOptions options) : options_(std::move(options)) {}
  void FillStatus(v1::GetStatusResponse* status) const;
  // What the status port's /metrics reads besides the registry.
  ServiceMetrics::Scrape Scrape(v1::GetStatusResponse status) const;
  // Reads `topics` to their ends (EventConsumer::CatchUp), but those fewer
  // than `min_lag` records behind, retrying while the broker does not answer.
  void CatchUp(const std::vector<std::string>& topics, const EventConsumer::Handler& handler,
               uint64_t min_lag, size_t batch);
  // Whether the service writes `topic` (its own topic or a side topic).
  bool WritesTopic(const std::string& topic) const;
  // The replay fast path (RuntimeOptions::replay_lag).
  void CatchUpInputs(const EventConsumer::Handler& handler);
  // Ends a rebuild of an empty store (Store::EndRebuild), retrying until it
  // is flushed or the service stops: timers and the group start only after.
  void EndRebuild();
  absl::StatusOr<std::string> Requeue(const v1::DeadLetter& letter);

  RuntimeOptions options_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<WriteGate> gate_ = std::make_unique<WriteGate>();
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<DeadLetters> dead_letters_;
  std::unique_ptr<AdminService> admin_;
  // Filled by the relay, read by the applier: declared first, gone last.
  std::unique_ptr<PublishedOffsets> published_;
  std::unique_ptr<OutboxRelay> relay_;
  std::unique_ptr<EventConsumer> consumer_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<ServiceMetrics> metrics_;
  std::unique_ptr<StatusHttp> status_http_;
  std::thread readiness_;
  std::vector<std::pair<absl::Duration, std::function<void()>>> periodic_;
  std::function<void()> read_back_ = [] {};
  std::function<void()> caught_up_ = [] {};
  std::vector<std::pair<std::string, EventConsumer::Handler>> side_topics_;
  bool fresh_store_ = false;
  bool restored_ = false;  // from a backup at Open: read back before ready
  std::unique_ptr<StoreBackups> backups_;
  std::vector<ScheduledQueue> scheduled_;
  std::vector<std::thread> timers_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> ready_{false};
  std::atomic<uint64_t> replayed_{0};  // by the replay fast path
  std::atomic<bool> misconfigured_{false};
};

}  // namespace complaints
