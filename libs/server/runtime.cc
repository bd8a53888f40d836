#include "libs/server/runtime.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/core/clock.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"
#include "libs/eventlog/admin.h"
#include "libs/runner/recorded_events.h"
#include "libs/runner/topics.h"
#include "libs/server/free_memory.h"
#include "libs/server/signals.h"

namespace complaints {

absl::StatusOr<std::unique_ptr<ServiceRuntime>> ServiceRuntime::Open(RuntimeOptions options) {
  std::unique_ptr<ServiceRuntime> runtime(new ServiceRuntime(std::move(options)));
  const RuntimeOptions& o = runtime->options_;
  std::error_code error;
  std::filesystem::create_directories(o.data_dir, error);
  if (error)
    return absl::InvalidArgumentError(absl::StrCat("data_dir ", o.data_dir, ": ", error.message()));
  if (!o.restore_backup.empty()) {
    ASSIGN_OR_RETURN(BackupInfo restored,
                     RestoreStore(o.backup_dir, o.restore_backup, o.data_dir + "/rocksdb"));
    log::Info("{}: restored backup {} of {} ({} bytes) into {}", o.service, restored.id,
              absl::FormatTime(absl::FromUnixSeconds(restored.created_unix_seconds)),
              restored.bytes, o.data_dir);
    runtime->restored_ = true;
  }
  ASSIGN_OR_RETURN(runtime->store_, Store::Open(o.data_dir + "/rocksdb", o.partitions, o.families));
  runtime->backups_ =
      std::make_unique<StoreBackups>(runtime->store_.get(), o.backup_dir, o.backup_keep);
  ASSIGN_OR_RETURN(runtime->outbox_,
                   Outbox::Open(runtime->store_.get(), o.authority, o.max_event_bytes));
  ASSIGN_OR_RETURN(runtime->dead_letters_, DeadLetters::Open(runtime->store_.get()));
  runtime->fresh_store_ = true;
  for (Family family : {Family::kState, Family::kOffsets, Family::kOutbox}) {
    RETURN_IF_ERROR(
        runtime->store_->Scan(family, "", "", 1, [&](absl::string_view, absl::string_view) {
          runtime->fresh_store_ = false;
          return false;
        }));
  }
  // A runtime given no topic of its own publishes nothing, and its broker
  // user may not ask for a producer id: it has no relay. (Each of the four
  // services writes a topic today.)
  if (!o.own_topic.empty()) {
    RelayOptions relay;
    relay.kafka = o.kafka;
    relay.dead_letters = runtime->dead_letters_.get();
    runtime->published_ = std::make_unique<PublishedOffsets>(o.own_topic);
    relay.published = runtime->published_.get();
    relay.kafka.client_id = o.service + "-relay";
    relay.clock = runtime->clock();
    ASSIGN_OR_RETURN(runtime->relay_, OutboxRelay::Create(runtime->outbox_.get(), relay));
  }
  if (!o.consume.empty()) {
    ConsumerOptions consumer;
    consumer.kafka = o.kafka;
    consumer.kafka.client_id = o.service + "-consumer";
    consumer.clock = runtime->clock();
    consumer.group_id = o.service;
    consumer.instance_id = o.instance_id.empty() ? o.service : o.instance_id;
    consumer.topics = o.consume;
    ASSIGN_OR_RETURN(runtime->consumer_, EventConsumer::Create(consumer, runtime->store_.get()));
  }
  return runtime;
}

ServiceRuntime::~ServiceRuntime() { Shutdown(); }

absl::Status ServiceRuntime::Serve(const std::vector<CallbackService*>& services,
                                   ConsumedApplier* applier) {
  if (consumer_ && applier == nullptr) {
    return absl::InvalidArgumentError("a consuming service needs an applier");
  }
  auto route = [this, applier](const std::vector<ConsumedRecord>& records, Durability durability) {
    // An empty batch (the consumer's idle tick) is the applier's sweep of
    // records parked too long: it must reach the applier even when the
    // service has side topics.
    if (side_topics_.empty() || records.empty()) return applier->Apply(records, durability);
    // A batch may mix topics: each side topic's records go to its handler.
    std::vector<ConsumedRecord> events;
    for (const auto& [topic, side] : side_topics_) {
      std::vector<ConsumedRecord> mine;
      for (const ConsumedRecord& record : records) {
        if (record.topic == topic) mine.push_back(record);
      }
      if (!mine.empty()) RETURN_IF_ERROR(side(mine));
    }
    for (const ConsumedRecord& record : records) {
      bool side = false;
      for (const auto& [topic, unused] : side_topics_) side |= record.topic == topic;
      if (!side) events.push_back(record);
    }
    return events.empty() ? absl::OkStatus() : applier->Apply(events, durability);
  };
  const EventConsumer::Handler handler = [route](const std::vector<ConsumedRecord>& records) {
    return route(records, Durability::kBuffered);
  };
  // A catch-up's batches are written behind: the store writes one while the
  // next is applied (CatchUp lands the last).
  const EventConsumer::Handler replay = [route](const std::vector<ConsumedRecord>& records) {
    return route(records, Durability::kBehind);
  };
  admin_ = std::make_unique<AdminService>(
      AdminSources{.dead_letters = dead_letters_.get(),
                   .applier = applier,
                   .status = [this](v1::GetStatusResponse* status) { FillStatus(status); },
                   .requeue = [this](const v1::DeadLetter& letter) { return Requeue(letter); },
                   .test_clock = options_.test_clock,
                   .backups = backups_.get(),
                   .time_zone = options_.time_zone});
  if (!options_.backup_dir.empty() && options_.backup_every > absl::ZeroDuration()) {
    Every(options_.backup_every, [this] {
      absl::StatusOr<v1::CreateBackupResponse> made = backups_->Create();
      if (!made.ok()) {
        log::Error("{}: scheduled backup failed: {}", options_.service, made.status().ToString());
      } else {
        log::Info("{}: backup {} taken ({} bytes), {} kept", options_.service, made->backup().id(),
                  made->backup().bytes(), made->kept_size());
      }
    });
  }
  Every(absl::Seconds(5), [this] {
    if (const size_t was_free = ReturnFreeHeap(16 << 20); was_free > 0) {
      log::Debug("{}: returned free heap memory ({} MiB lay free)", options_.service,
                 was_free >> 20);
    }
  });
  std::vector<CallbackService*> all_services = services;
  all_services.push_back(admin_.get());
  if (!options_.status_listen.empty()) {
    ASSIGN_OR_RETURN(const auto address, SplitHostPort("--status_listen", options_.status_listen));
    metrics_ = std::make_unique<ServiceMetrics>(options_.service, options_.build);
    for (CallbackService* service : all_services) {
      service->Observe([metrics = metrics_.get()](const std::string& method, grpc::StatusCode code,
                                                  absl::Duration took) {
        metrics->ObserveCall(method, code, took);
      });
    }
    // What the Admin API's GetStatus answers, dead letters and parked records included.
    auto status = [this] { return admin_->GetStatus().value_or(v1::GetStatusResponse()); };
    ASSIGN_OR_RETURN(status_http_, StatusHttp::Start({.host = address.first,
                                                      .port = address.second,
                                                      .status = status,
                                                      .metrics = [this, status] {
                                                        return metrics_->Render(Scrape(status()));
                                                      }}));
    log::Info("{}: status port (/healthz, /readyz, /metrics) on {}:{}", options_.service,
              address.first, status_http_->port());
  }
  ASSIGN_OR_RETURN(host_,
                   ServiceHost::Start(options_.listen, all_services, options_.security.get()));
  for (const auto& [period, task] : periodic_) {
    timers_.emplace_back([this, period = period, task = task] {
      while (!stopping_.load()) {
        for (absl::Duration slept; slept < period && !stopping_.load();
             slept += absl::Milliseconds(100)) {
          MonotonicClock::Default()->SleepFor(absl::Milliseconds(100));
        }
        if (!stopping_.load()) task();
      }
    });
  }
  auto set_ready = [this] {
    host_->SetReady(true);
    ready_.store(true);
    log::Info("{}: ready on port {}", options_.service, host_->port());
  };
  const bool ready_at_once = options_.serves_without_broker && !fresh_store_ && !restored_;
  if (ready_at_once) {
    read_back_();
    set_ready();
  }
  // Calls are served from here on; the broker is met in the background, so a
  // service that serves without it (intake) answers at once through an outage.
  readiness_ = std::thread([this, handler, replay, ready_at_once, set_ready] {
    // Topics are created with the settings the log needs (infinite retention)
    // before anything is published; a broker that is down now is not fatal:
    // the relay keeps events in the outbox.
    std::vector<absl::string_view> all(topics::kAll.begin(), topics::kAll.end());
    const TopicSettings settings{options_.partitions, options_.replication_factor,
                                 options_.min_insync_replicas};
    if (absl::Status status = EnsureTopics(options_.kafka, all, settings, absl::Seconds(10));
        absl::IsFailedPrecondition(status)) {
      // Misconfigured, not unlucky: stop (exit code 2) rather than
      // dead-letter every record as misplaced.
      log::Critical("{}: {}; stopping", options_.service, std::string(status.message()));
      misconfigured_.store(true);
      kill(getpid(), SIGTERM);  // to the process: RunUntilSignalled takes it
      return;
    } else if (!status.ok()) {
      log::Warn("topics not ensured at start: {}", status.ToString());
    }
    if (stopping_.load()) return;
    if (relay_) relay_->Start();
    const size_t batch = options_.replay_batch;
    // An empty store is rebuilt without the write-ahead log (Store::BeginRebuild).
    if (fresh_store_ && consumer_) {
      if (absl::Status begun = store_->BeginRebuild(); !begun.ok()) {
        log::Warn("{}: rebuilding with the write-ahead log: {}", options_.service,
                  begun.ToString());
      }
    }
    if (consumer_ && !options_.own_topic.empty()) {
      CatchUp({options_.own_topic}, replay, 0, batch);
      for (const auto& [topic, side] : side_topics_) CatchUp({topic}, side, 0, batch);
    }
    if (!ready_at_once && !stopping_.load()) read_back_();
    if (consumer_) CatchUpInputs(replay);
    EndRebuild();
    // Caught up: from here on freed pages go back to the system at once
    // (ReturnFreedPagesPromptly), and what the catch-up left free goes now.
    // Not before: a replay frees and allocates its batches' buffers and
    // RocksDB's memtables over and over, and giving each page back and
    // faulting it in again was a fifth of tracking's rebuild CPU.
    ReturnFreedPagesPromptly();
    ReturnFreeHeap(0);
    if (!stopping_.load()) caught_up_();
    if (consumer_ && !stopping_.load()) consumer_->Start(handler);
    if (ready_at_once) return;
    while (!stopping_.load() && consumer_ && !consumer_->assigned()) {
      MonotonicClock::Default()->SleepFor(absl::Milliseconds(5));
    }
    if (!stopping_.load()) set_ready();
  });
  return absl::OkStatus();
}

void ServiceRuntime::Every(absl::Duration period, std::function<void()> task) {
  periodic_.emplace_back(period, std::move(task));
}

ServiceMetrics::Scrape ServiceRuntime::Scrape(v1::GetStatusResponse status) const {
  ServiceMetrics::Scrape scrape{.status = std::move(status),
                                .store_bytes = FolderBytes(options_.data_dir),
                                .now = clock()->Now(),
                                .store_health = store_->Health()};
  if (relay_) scrape.published_by_topic = relay_->published_by_topic();
  if (consumer_) scrape.consumed_by_topic = consumer_->consumed_by_topic();
  RecordedEvents::Counts recorded = RecordedEvents::Snapshot();
  scrape.recorded = std::move(recorded.by_payload);
  scrape.decisions = std::move(recorded.by_rule);
  for (const ScheduledQueue& queue : scheduled_) {
    absl::StatusOr<ScheduledBacklog> backlog = MeasureBacklog(*store_, queue, scrape.now);
    if (backlog.ok()) scrape.scheduled.push_back(*std::move(backlog));
  }
  if (consumer_) {
    for (const v1::PartitionStatus& partition : scrape.status.consumer().partitions()) {
      std::optional<int64_t> end =
          consumer_->HighWatermark(partition.topic(), partition.partition());
      if (end.has_value())
        scrape.high_watermarks[{partition.topic(), partition.partition()}] = *end;
    }
  }
  return scrape;
}

void ServiceRuntime::FillStatus(v1::GetStatusResponse* status) const {
  status->set_service(options_.service);
  status->set_ready(ready_.load());
  v1::RelayStatus& relay = *status->mutable_relay();
  relay.set_published(relay_ ? relay_->published() : 0);
  relay.set_outbox_depth(outbox_->depth());
  (void)store_->Scan(Family::kOutbox, "", "", 1, [&](absl::string_view, absl::string_view value) {
    absl::StatusOr<OutboxRecord> record = Outbox::DecodeValue(value);
    v1::Envelope event;
    if (record.ok() && event.ParseFromString(record->payload)) {
      *relay.mutable_oldest_entry_at() = event.recorded_at();
    }
    return false;
  });
  const OutboxRelay::Health relay_health = relay_ ? relay_->health() : OutboxRelay::Health{};
  relay.set_stuck(relay_health.stuck);
  if (relay_health.stuck) *relay.mutable_stuck_since() = ToProto(relay_health.stuck_since);
  relay.set_last_error(relay_health.last_error);
  if (!consumer_) return;
  v1::ConsumerStatus& consumer = *status->mutable_consumer();
  consumer.set_assigned(consumer_->assigned());
  consumer.set_applied_records(consumer_->applied());
  consumer.set_replayed_records(replayed_.load());
  const EventConsumer::Health health = consumer_->health();
  consumer.set_stuck(health.stuck);
  if (health.stuck) *consumer.mutable_stuck_since() = ToProto(health.stuck_since);
  consumer.set_last_error(health.last_error);
  consumer.set_stopped(health.stopped);
  consumer.set_renewals(health.renewals);
  (void)store_->Scan(
      Family::kOffsets, "", "", SIZE_MAX, [&](absl::string_view key, absl::string_view value) {
        const size_t slash = key.rfind('/');
        v1::PartitionStatus& partition = *consumer.add_partitions();
        partition.set_topic(std::string(key.substr(0, slash)));
        int32_t number = 0;
        int64_t offset = 0;
        if (slash != absl::string_view::npos && absl::SimpleAtoi(key.substr(slash + 1), &number)) {
          partition.set_partition(number);
        }
        if (absl::SimpleAtoi(value, &offset)) partition.set_next_offset(offset);
        return true;
      });
}

absl::StatusOr<std::string> ServiceRuntime::Requeue(const v1::DeadLetter& letter) {
  Batch batch;
  Outbox::Ticket ticket = outbox_->Restage(
      batch, {{letter.record().topic(), letter.record().key(), letter.record().payload()}});
  dead_letters_->StageRemoval(batch, letter);
  absl::Status written = store_->Write(batch, Durability::kSynced);
  outbox_->Settle(ticket, written.ok());
  RETURN_IF_ERROR(written);
  dead_letters_->Removed(letter.kind());
  return std::string("REQUEUED");
}

int ServiceRuntime::RunUntilSignalled() {
  const int signal = WaitForTerminationSignal();
  log::Info("{}: signal {} received, draining", options_.service, signal);
  Shutdown();
  return misconfigured_.load() ? 2 : 0;
}

void ServiceRuntime::Shutdown() {
  if (stopping_.exchange(true)) return;
  const Stopwatch draining;
  auto step = [&](const char* what) {
    log::Info("{}: {} after {} ms", options_.service, what,
              absl::ToInt64Milliseconds(draining.Elapsed()));
  };
  if (readiness_.joinable()) readiness_.join();
  for (std::thread& timer : timers_) timer.join();
  if (host_) host_->Shutdown(absl::Seconds(5));
  step("stopped serving calls");
  if (consumer_) consumer_->Stop();
  step("stopped consuming");
  if (relay_) relay_->Stop();
  step("stopped");
}

}  // namespace complaints
