#include "libs/eventlog/relay.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "libs/core/status_macros.h"
#include "spdlog/spdlog.h"

namespace complaints {

// Collects librdkafka delivery reports; they arrive on the relay thread
// inside poll(), but backlog() may read the counts from any thread.
class OutboxRelay::DeliveryReports final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    const uint64_t sequence = reinterpret_cast<uintptr_t>(message.msg_opaque());
    absl::MutexLock lock(&mu_);
    --in_flight_;
    if (message.err() == RdKafka::ERR_NO_ERROR) {
      delivered_.push_back(sequence);
    } else {
      failed_ = true;
      spdlog::warn("relay: delivery of outbox entry {} failed: {}", sequence, message.errstr());
    }
  }
  void Sent() {
    absl::MutexLock lock(&mu_);
    ++in_flight_;
  }
  size_t in_flight() const {
    absl::MutexLock lock(&mu_);
    return in_flight_;
  }
  std::vector<uint64_t> TakeDelivered() {
    absl::MutexLock lock(&mu_);
    return std::exchange(delivered_, {});
  }
  bool TakeFailure() {
    absl::MutexLock lock(&mu_);
    return std::exchange(failed_, false);
  }

 private:
  mutable absl::Mutex mu_;
  size_t in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<uint64_t> delivered_ ABSL_GUARDED_BY(mu_);
  bool failed_ ABSL_GUARDED_BY(mu_) = false;
};

OutboxRelay::OutboxRelay(Outbox* outbox, RelayOptions options)
    : outbox_(outbox), options_(std::move(options)), reports_(std::make_unique<DeliveryReports>()) {}

absl::StatusOr<std::unique_ptr<OutboxRelay>> OutboxRelay::Create(Outbox* outbox,
                                                                 RelayOptions options) {
  std::unique_ptr<OutboxRelay> relay(new OutboxRelay(outbox, std::move(options)));
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::Conf> conf,
                   MakeKafkaConf(relay->options_.kafka,
                                 {{"enable.idempotence", "true"},
                                  {"acks", "all"},
                                  {"partitioner", "murmur2_random"},
                                  // Never give up on an event: the outbox holds it until Kafka has it.
                                  {"message.timeout.ms", "0"},
                                  {"linger.ms", "5"},
                                  {"compression.type", "lz4"}}));
  std::string error;
  if (conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(relay->reports_.get()), error) !=
      RdKafka::Conf::CONF_OK) {
    return absl::InternalError(error);
  }
  relay->producer_.reset(RdKafka::Producer::create(conf.get(), error));
  if (!relay->producer_) return absl::InternalError(absl::StrCat("kafka producer: ", error));
  return relay;
}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::Start() {
  Rewind();
  thread_ = std::thread([this] { Loop(); });
}

void OutboxRelay::Stop() {
  if (stopping_.exchange(true) || !thread_.joinable()) return;
  thread_.join();
}

uint64_t OutboxRelay::backlog() const {
  uint64_t entries = 0;
  (void)outbox_->store()->Scan(Family::kOutbox, "", "", SIZE_MAX,
                               [&](absl::string_view, absl::string_view) {
                                 ++entries;
                                 return true;
                               });
  return entries;
}

void OutboxRelay::Rewind() {
  cursor_ = 1;
  (void)outbox_->store()->Scan(Family::kOutbox, "", "", 1, [&](absl::string_view key, absl::string_view) {
    cursor_ = DecodeOrderedKey(key);
    return false;
  });
}

size_t OutboxRelay::ProduceAvailable() {
  const uint64_t limit = outbox_->SafeLimit();
  const size_t room = options_.max_in_flight - std::min(options_.max_in_flight, reports_->in_flight());
  if (cursor_ >= limit || room == 0) return 0;
  size_t produced = 0;
  absl::Status status = outbox_->store()->Scan(
      Family::kOutbox, EncodeOrderedKey(cursor_), EncodeOrderedKey(limit), room,
      [&](absl::string_view key, absl::string_view value) {
        const uint64_t sequence = DecodeOrderedKey(key);
        absl::StatusOr<OutboxRecord> record = Outbox::DecodeValue(value);
        if (!record.ok()) {
          spdlog::error("relay: outbox entry {} dropped: {}", sequence, record.status().ToString());
          cursor_ = sequence + 1;
          return true;
        }
        for (;;) {
          RdKafka::ErrorCode code = producer_->produce(
              record->topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
              record->payload.data(), record->payload.size(), record->key.data(),
              record->key.size(), 0, reinterpret_cast<void*>(static_cast<uintptr_t>(sequence)));
          if (code == RdKafka::ERR_NO_ERROR) break;
          if (code != RdKafka::ERR__QUEUE_FULL) {
            spdlog::error("relay: produce to {} failed: {}", record->topic, RdKafka::err2str(code));
            return false;
          }
          producer_->poll(50);
        }
        reports_->Sent();
        cursor_ = sequence + 1;
        ++produced;
        return true;
      });
  if (!status.ok()) spdlog::error("relay: outbox scan failed: {}", status.ToString());
  return produced;
}

void OutboxRelay::DeleteDelivered() {
  std::vector<uint64_t> delivered = reports_->TakeDelivered();
  if (delivered.empty()) return;
  Batch batch;
  for (uint64_t sequence : delivered) batch.Delete(Family::kOutbox, EncodeOrderedKey(sequence));
  // Buffered is enough: an entry whose delete is lost is published again and skipped downstream.
  if (absl::Status status = outbox_->store()->Write(batch, Durability::kBuffered); !status.ok()) {
    spdlog::error("relay: clearing delivered entries failed: {}", status.ToString());
    return;
  }
  published_ += delivered.size();
}

void OutboxRelay::Loop() {
  const absl::Time started = absl::Now();
  absl::Time drain_deadline = absl::InfiniteFuture();
  while (true) {
    if (stopping_.load() && drain_deadline == absl::InfiniteFuture()) {
      drain_deadline = absl::Now() + options_.drain_timeout;
    }
    const uint64_t seen_limit = outbox_->SafeLimit();
    const size_t produced = ProduceAvailable();
    producer_->poll(produced > 0 || reports_->in_flight() > 0 ? 5 : 0);
    DeleteDelivered();
    if (reports_->TakeFailure()) {
      // Keep order: wait for what is in flight, then publish again from the oldest entry left.
      while (reports_->in_flight() > 0 && absl::Now() < drain_deadline) producer_->poll(50);
      DeleteDelivered();
      Rewind();
    }
    const bool idle = reports_->in_flight() == 0 && cursor_ >= outbox_->SafeLimit();
    if (drain_deadline != absl::InfiniteFuture() && (idle || absl::Now() >= drain_deadline)) break;
    if (idle) outbox_->WaitForWork(seen_limit, absl::Milliseconds(50));
  }
  producer_->flush(1000);
  DeleteDelivered();
  spdlog::info("relay: stopped after {} s, {} published", absl::ToInt64Seconds(absl::Now() - started),
               published_.load());
}

}  // namespace complaints
