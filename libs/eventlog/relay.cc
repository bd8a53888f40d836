#include "libs/eventlog/relay.h"

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"

namespace complaints {
namespace {

// Errors after which the same entry would be refused again however often it is sent.
bool IsPermanent(RdKafka::ErrorCode code) {
  switch (code) {
    case RdKafka::ERR_MSG_SIZE_TOO_LARGE:
    case RdKafka::ERR__UNKNOWN_TOPIC:
    case RdKafka::ERR_UNKNOWN_TOPIC_OR_PART:
    case RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED:
    case RdKafka::ERR_INVALID_RECORD:
    case RdKafka::ERR_INVALID_MSG:
    case RdKafka::ERR_RECORD_LIST_TOO_LARGE:
    case RdKafka::ERR_TOPIC_EXCEPTION:
    case RdKafka::ERR_POLICY_VIOLATION:
    case RdKafka::ERR__INVALID_ARG:
      return true;
    default:
      return false;
  }
}

struct Refusal {
  uint64_t sequence;
  std::string reason;
};

}  // namespace

// Collects librdkafka delivery reports; they arrive on the relay thread
// inside poll(), but health readers may look from any thread.
class OutboxRelay::DeliveryReports final : public RdKafka::DeliveryReportCb {
 public:
  explicit DeliveryReports(PublishedOffsets* published) : published_(published) {}

  void dr_cb(RdKafka::Message& message) override {
    const uint64_t sequence = reinterpret_cast<uintptr_t>(message.msg_opaque());
    if (message.err() == RdKafka::ERR_NO_ERROR && published_ != nullptr && message.offset() >= 0) {
      published_->Published(message.topic_name(), message.partition(), message.offset());
    }
    absl::MutexLock lock(&mu_);
    --in_flight_;
    in_flight_bytes_ -= std::min(in_flight_bytes_, message.len() + message.key_len());
    if (message.err() == RdKafka::ERR_NO_ERROR) {
      delivered_.push_back(sequence);
      ++by_topic_[message.topic_name()];
    } else if (IsPermanent(message.err())) {
      refused_.push_back({sequence, message.errstr()});
    } else {
      if (message.err() == RdKafka::ERR__FATAL) fatal_ = true;
      if (failure_.empty()) failure_ = message.errstr();
    }
  }
  void Refuse(uint64_t sequence, std::string reason) {
    absl::MutexLock lock(&mu_);
    refused_.push_back({sequence, std::move(reason)});
  }
  void Fatal() {
    absl::MutexLock lock(&mu_);
    fatal_ = true;
    if (failure_.empty()) failure_ = "fatal producer error";
  }
  void Sent(size_t bytes) {
    absl::MutexLock lock(&mu_);
    ++in_flight_;
    in_flight_bytes_ += bytes;
  }
  size_t in_flight() const {
    absl::MutexLock lock(&mu_);
    return in_flight_;
  }
  // Payload and key bytes handed to librdkafka and not yet reported.
  size_t in_flight_bytes() const {
    absl::MutexLock lock(&mu_);
    return in_flight_bytes_;
  }
  std::map<std::string, uint64_t> DeliveredByTopic() const {
    absl::MutexLock lock(&mu_);
    return by_topic_;
  }
  std::vector<uint64_t> TakeDelivered() {
    absl::MutexLock lock(&mu_);
    return std::exchange(delivered_, {});
  }
  std::vector<Refusal> TakeRefused() {
    absl::MutexLock lock(&mu_);
    return std::exchange(refused_, {});
  }
  // The first transient failure since the last call, or "".
  std::string TakeFailure() {
    absl::MutexLock lock(&mu_);
    return std::exchange(failure_, {});
  }
  bool TakeFatal() {
    absl::MutexLock lock(&mu_);
    return std::exchange(fatal_, false);
  }
  void Forget() {
    absl::MutexLock lock(&mu_);
    in_flight_ = 0;
    in_flight_bytes_ = 0;
  }

 private:
  PublishedOffsets* const published_;
  mutable absl::Mutex mu_;
  size_t in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  size_t in_flight_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<uint64_t> delivered_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, uint64_t> by_topic_ ABSL_GUARDED_BY(mu_);  // acknowledged since start
  std::vector<Refusal> refused_ ABSL_GUARDED_BY(mu_);
  std::string failure_ ABSL_GUARDED_BY(mu_);
  bool fatal_ ABSL_GUARDED_BY(mu_) = false;
};

OutboxRelay::OutboxRelay(Outbox* outbox, RelayOptions options)
    : outbox_(outbox),
      options_(std::move(options)),
      reports_(std::make_unique<DeliveryReports>(options_.published)),
      backoff_(options_.min_backoff) {}

absl::StatusOr<std::unique_ptr<OutboxRelay>> OutboxRelay::Create(Outbox* outbox,
                                                                 RelayOptions options) {
  if (options.dead_letters == nullptr)
    return absl::InvalidArgumentError("relay: dead_letters is required");
  std::unique_ptr<OutboxRelay> relay(new OutboxRelay(outbox, std::move(options)));
  RETURN_IF_ERROR(relay->CreateProducer());
  return relay;
}

absl::Status OutboxRelay::CreateProducer() {
  ASSIGN_OR_RETURN(
      std::unique_ptr<RdKafka::Conf> conf,
      MakeKafkaConf(options_.kafka,
                    {{"enable.idempotence", "true"},
                     {"acks", "all"},
                     {"partitioner", "murmur2_random"},
                     // Never give up on an event: the outbox holds it until Kafka has it.
                     {"message.timeout.ms", "0"},
                     // Records of 20 ms go in one request (a request per few
                     // records was most of the broker's CPU; consumer.cc).
                     {"linger.ms", "20"},
                     {"compression.type", "lz4"}}));
  std::string error;
  if (conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(reports_.get()), error) !=
      RdKafka::Conf::CONF_OK) {
    return absl::InternalError(error);
  }
  producer_.reset(RdKafka::Producer::create(conf.get(), error));
  if (!producer_) return absl::InternalError(absl::StrCat("kafka producer: ", error));
  return absl::OkStatus();
}

OutboxRelay::~OutboxRelay() { Stop(); }

std::map<std::string, uint64_t> OutboxRelay::published_by_topic() const {
  return reports_->DeliveredByTopic();
}

void OutboxRelay::Start() {
  Rewind();
  thread_ = std::thread([this] { Loop(); });
}

void OutboxRelay::Stop() {
  if (stopping_.exchange(true) || !thread_.joinable()) return;
  thread_.join();
}

OutboxRelay::Health OutboxRelay::health() const {
  absl::MutexLock lock(&health_mu_);
  Health health = health_;
  // Failing for a while with entries waiting is "stuck"; a blip is not.
  health.stuck = failing_since_ != absl::InfiniteFuture() &&
                 options_.clock->Now() - failing_since_ >= options_.stuck_after;
  health.stuck_since = health.stuck ? failing_since_ : absl::InfinitePast();
  return health;
}

void OutboxRelay::Incident(const std::string& error) {
  absl::MutexLock lock(&health_mu_);
  if (failing_since_ == absl::InfiniteFuture()) {
    failing_since_ = options_.clock->Now();
    log::Error("relay: publishing fails, retrying with backoff: {}", EscapedPrefix(error, 200));
  }
  health_.last_error = error;
}

void OutboxRelay::Progress() {
  backoff_ = options_.min_backoff;
  absl::MutexLock lock(&health_mu_);
  if (failing_since_ != absl::InfiniteFuture()) {
    log::Info("relay: publishing again after {} s",
              absl::ToInt64Seconds(options_.clock->Now() - failing_since_));
    failing_since_ = absl::InfiniteFuture();
  }
}

void OutboxRelay::Rewind() {
  cursor_ = outbox_->SafeLimit();
  absl::Status status = outbox_->store()->Scan(Family::kOutbox, "", "", 1,
                                               [&](absl::string_view key, absl::string_view) {
                                                 cursor_ = DecodeOrderedKey(key);
                                                 return false;
                                               });
  if (!status.ok()) Incident(absl::StrCat("outbox scan: ", status.ToString()));
}

size_t OutboxRelay::ProduceAvailable() {
  const uint64_t limit = outbox_->SafeLimit();
  const size_t room =
      options_.max_in_flight - std::min(options_.max_in_flight, reports_->in_flight());
  if (cursor_ >= limit || room == 0) return 0;
  size_t produced = 0;
  absl::Status status = outbox_->store()->Scan(
      Family::kOutbox, EncodeOrderedKey(cursor_), EncodeOrderedKey(limit), room,
      [&](absl::string_view key, absl::string_view value) {
        // Large records (evidence chunks) are bounded by bytes as well as by
        // count; with nothing in flight one always goes, however large.
        if (reports_->in_flight() > 0 &&
            reports_->in_flight_bytes() >= options_.max_in_flight_bytes) {
          return false;
        }
        const uint64_t sequence = DecodeOrderedKey(key);
        absl::StatusOr<OutboxRecord> record = Outbox::DecodeValue(value);
        if (!record.ok()) {
          reports_->Refuse(sequence, record.status().ToString());
          cursor_ = sequence + 1;
          return true;
        }
        for (;;) {
          RdKafka::ErrorCode code = producer_->produce(
              record->topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
              record->tombstone ? nullptr : record->payload.data(), record->payload.size(),
              record->key.data(), record->key.size(), 0,
              reinterpret_cast<void*>(static_cast<uintptr_t>(sequence)));
          if (code == RdKafka::ERR_NO_ERROR) break;
          if (code == RdKafka::ERR__QUEUE_FULL) {
            producer_->poll(50);
            continue;
          }
          if (IsPermanent(code)) {
            reports_->Refuse(sequence, RdKafka::err2str(code));
            cursor_ = sequence + 1;
            return true;
          }
          if (code == RdKafka::ERR__FATAL) reports_->Fatal();
          Incident(absl::StrCat("produce to ", record->topic, ": ", RdKafka::err2str(code)));
          return false;
        }
        reports_->Sent(record->payload.size() + record->key.size());
        cursor_ = sequence + 1;
        ++produced;
        return true;
      });
  if (!status.ok()) Incident(absl::StrCat("outbox scan: ", status.ToString()));
  return produced;
}

void OutboxRelay::BuryRefused() {
  std::vector<Refusal> refused = reports_->TakeRefused();
  if (refused.empty()) return;
  Batch batch;
  size_t buried = 0;
  for (const Refusal& refusal : refused) {
    absl::StatusOr<std::optional<std::string>> value =
        outbox_->store()->Get(Family::kOutbox, EncodeOrderedKey(refusal.sequence));
    if (!value.ok() || !value->has_value()) continue;
    absl::StatusOr<OutboxRecord> record = Outbox::DecodeValue(**value);
    v1::RawRecord raw;
    raw.set_partition(-1);
    raw.set_offset(static_cast<int64_t>(refusal.sequence));
    if (record.ok()) {
      raw.set_topic(record->topic);
      raw.set_key(record->key);
      raw.set_payload(record->payload);
    } else {
      raw.set_payload(**value);
    }
    log::Error("relay: outbox entry {} refused for good, now a dead letter: {}", refusal.sequence,
               EscapedPrefix(refusal.reason, 200));
    options_.dead_letters->Stage(
        batch, MakeDeadLetter(OutboxDeadLetterId(refusal.sequence), std::move(raw),
                              v1::DEAD_LETTER_KIND_PUBLISH_REFUSED, refusal.reason,
                              options_.clock->Now()));
    batch.Delete(Family::kOutbox, EncodeOrderedKey(refusal.sequence));
    ++buried;
  }
  if (absl::Status written = outbox_->store()->Write(batch, Durability::kSynced); !written.ok()) {
    Incident(absl::StrCat("burying refused entries: ", written.ToString()));
    return;
  }
  for (size_t i = 0; i < buried; ++i)
    options_.dead_letters->Added(v1::DEAD_LETTER_KIND_PUBLISH_REFUSED);
  outbox_->Removed(buried);
}

void OutboxRelay::DeleteDelivered() {
  std::vector<uint64_t> delivered = reports_->TakeDelivered();
  if (delivered.empty()) return;
  Batch batch;
  for (uint64_t sequence : delivered) batch.Delete(Family::kOutbox, EncodeOrderedKey(sequence));
  // Buffered is enough: an entry whose delete is lost is published again and skipped downstream.
  if (absl::Status status = outbox_->store()->Write(batch, Durability::kBuffered); !status.ok()) {
    Incident(absl::StrCat("clearing delivered entries: ", status.ToString()));
    return;
  }
  outbox_->Removed(delivered.size());
  published_ += delivered.size();
  Progress();
}

void OutboxRelay::Recover(const Deadline& deadline) {
  while (reports_->in_flight() > 0 && !deadline.Passed()) producer_->poll(50);
  DeleteDelivered();
  BuryRefused();
  if (reports_->TakeFatal()) {
    log::Error("relay: the idempotent producer hit a fatal error; recreating it");
    producer_.reset();
    reports_->Forget();
    if (absl::Status status = CreateProducer(); !status.ok()) Incident(status.ToString());
  }
  if (!stopping_.load()) {
    options_.monotonic->SleepFor(backoff_);
    backoff_ = std::min(backoff_ * 2, options_.max_backoff);
  }
  Rewind();
}

void OutboxRelay::Loop() {
  const Stopwatch running(options_.monotonic);
  Deadline drain_deadline = Deadline::Never(options_.monotonic);
  std::optional<Stopwatch> since_sync;
  while (true) {
    if (stopping_.load() && drain_deadline.IsNever()) {
      drain_deadline = Deadline(options_.drain_timeout, options_.monotonic);
    }
    // One fsync settles every buffered batch written so far (consumers');
    // spacing them lets one sync cover many batches.
    if (!since_sync || since_sync->Elapsed() >= options_.sync_interval || stopping_.load()) {
      since_sync.emplace(options_.monotonic);
      if (absl::Status synced = outbox_->SyncPending(); !synced.ok()) {
        Incident(absl::StrCat("sync: ", synced.ToString()));
      }
    }
    const uint64_t seen_limit = outbox_->SafeLimit();
    const size_t produced = producer_ ? ProduceAvailable() : 0;
    if (producer_) producer_->poll(produced > 0 || reports_->in_flight() > 0 ? 5 : 0);
    DeleteDelivered();
    BuryRefused();
    const std::string failure = reports_->TakeFailure();
    if (!failure.empty() || !producer_) {
      Incident(failure.empty() ? "no producer" : failure);
      Recover(drain_deadline);
    }
    const bool idle = reports_->in_flight() == 0 && cursor_ >= outbox_->SafeLimit();
    if (!drain_deadline.IsNever() && (idle || drain_deadline.Passed())) break;
    if (idle) outbox_->WaitForWork(seen_limit, options_.sync_interval);
  }
  if (producer_) producer_->flush(1000);
  DeleteDelivered();
  log::Info("relay: stopped after {} s, {} published", absl::ToInt64Seconds(running.Elapsed()),
            published_.load());
}

}  // namespace complaints
