#include "libs/eventlog/consumer.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/eventlog/consumer_reading.h"

namespace complaints {

// Starts each newly assigned partition at the offset the store holds. An
// offset that cannot be read stops the consumer: starting anywhere else would
// skip or re-apply records.
class EventConsumer::Rebalance final : public RdKafka::RebalanceCb {
 public:
  explicit Rebalance(EventConsumer* owner) : owner_(owner) {}

  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    if (err != RdKafka::ERR__ASSIGN_PARTITIONS) {
      consumer->unassign();
      owner_->assigned_.store(false);
      return;
    }
    for (RdKafka::TopicPartition* partition : partitions) {
      absl::StatusOr<int64_t> offset = StoredOffset(partition->topic(), partition->partition());
      if (!offset.ok()) {
        consumer->unassign();
        owner_->Stopped(absl::StrCat("stored offset of ", partition->topic(), "/",
                                     partition->partition(), ": ", offset.status().ToString()));
        return;
      }
      partition->set_offset(*offset);
    }
    consumer->assign(partitions);
    owner_->assigned_.store(true);
    log::Info("consumer: assigned {} partitions", partitions.size());
  }

 private:
  absl::StatusOr<int64_t> StoredOffset(const std::string& topic, int32_t partition) const {
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     owner_->store_->Get(Family::kOffsets, OffsetKey(topic, partition)));
    if (!stored.has_value()) return RdKafka::Topic::OFFSET_BEGINNING;
    int64_t offset = 0;
    if (!absl::SimpleAtoi(*stored, &offset) || offset < 0) {
      return absl::DataLossError(absl::StrCat("\"", EscapedPrefix(*stored), "\" is not an offset"));
    }
    return offset;
  }

  EventConsumer* owner_;
};

EventConsumer::EventConsumer(ConsumerOptions options, Store* store)
    : options_(std::move(options)), store_(store), rebalance_(std::make_unique<Rebalance>(this)) {}

std::map<std::string, uint64_t> EventConsumer::consumed_by_topic() const {
  absl::MutexLock lock(&health_mu_);
  return consumed_by_topic_;
}

std::optional<int64_t> EventConsumer::HighWatermark(const std::string& topic,
                                                    int32_t partition) const {
  int64_t low = 0;
  int64_t high = 0;
  absl::MutexLock lock(&consumer_mu_);
  if (consumer_ == nullptr ||
      consumer_->get_watermark_offsets(topic, partition, &low, &high) != RdKafka::ERR_NO_ERROR ||
      high < 0) {
    return std::nullopt;
  }
  return high;
}

EventConsumer::Health EventConsumer::health() const {
  absl::MutexLock lock(&health_mu_);
  return health_;
}

void EventConsumer::Fail(const absl::Status& status) {
  absl::MutexLock lock(&health_mu_);
  if (!health_.stuck) {
    log::Error("consumer: a batch failed and is retried until it succeeds: {}", status.ToString());
    health_.stuck = true;
    health_.stuck_since = options_.clock->Now();
  }
  health_.last_error = status.ToString();
}

void EventConsumer::Stopped(const std::string& why) {
  log::Critical("consumer: stopped: {}", why);
  absl::MutexLock lock(&health_mu_);
  health_.stopped = true;
  health_.last_error = why;
  stopping_.store(true);
}

absl::StatusOr<std::unique_ptr<EventConsumer>> EventConsumer::Create(ConsumerOptions options,
                                                                     Store* store) {
  std::unique_ptr<EventConsumer> consumer(new EventConsumer(std::move(options), store));
  ASSIGN_OR_RETURN(consumer->consumer_, consumer->Subscribe());
  return consumer;
}

absl::StatusOr<std::unique_ptr<RdKafka::KafkaConsumer>> EventConsumer::Subscribe() {
  std::map<std::string, std::string> properties = {
      {"group.id", options_.group_id},       {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"}, {"auto.offset.reset", "earliest"},
      {"isolation.level", "read_committed"}, {"topic.metadata.refresh.interval.ms", "5000"},
      {"session.timeout.ms", "10000"},       {"heartbeat.interval.ms", "1000"}};
  properties.insert(std::begin(kReadAhead), std::end(kReadAhead));
  if (!options_.instance_id.empty()) properties["group.instance.id"] = options_.instance_id;
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::Conf> conf, MakeKafkaConf(options_.kafka, properties));
  std::string error;
  if (conf->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(rebalance_.get()), error) !=
      RdKafka::Conf::CONF_OK) {
    return absl::InternalError(error);
  }
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) return absl::InternalError(absl::StrCat("kafka consumer: ", error));
  RdKafka::ErrorCode code = consumer->subscribe(options_.topics);
  if (code != RdKafka::ERR_NO_ERROR) {
    return absl::InternalError(absl::StrCat("kafka subscribe: ", RdKafka::err2str(code)));
  }
  return consumer;
}

EventConsumer::~EventConsumer() {
  Stop();
  if (consumer_) consumer_->close();
}

void EventConsumer::Start(Handler handler) {
  handler_ = std::move(handler);
  thread_ = std::thread([this] { Loop(); });
}

void EventConsumer::Stop() {
  if (stopping_.exchange(true) || !thread_.joinable()) return;
  thread_.join();
}

std::vector<ConsumedRecord> EventConsumer::Poll() {
  std::vector<ConsumedRecord> records;
  const Deadline deadline(options_.max_batch_wait, options_.monotonic);
  while (records.size() < options_.max_batch && !stopping_.load()) {
    const int64_t wait_ms = absl::ToInt64Milliseconds(deadline.Left());
    // Block for the first record; after that gather only what is already there.
    std::unique_ptr<RdKafka::Message> message(
        consumer_->consume(records.empty() ? 100 : static_cast<int>(wait_ms)));
    if (message->err() == RdKafka::ERR__TIMED_OUT) break;
    if (message->err() == RdKafka::ERR__FATAL) {
      // What was gathered is dropped unapplied: the new consumer reads it
      // again from the stored offsets.
      fatal_ = true;
      return {};
    }
    if (message->err() != RdKafka::ERR_NO_ERROR) {
      if (message->err() != RdKafka::ERR__PARTITION_EOF) {
        log::Warn("consumer: {}", message->errstr());
      }
      if (!records.empty()) break;
      continue;
    }
    records.push_back(RecordOf(*message));
  }
  return records;
}

// After a failed batch, seek each partition back to its first unapplied record.
void EventConsumer::Rewind(const std::vector<ConsumedRecord>& failed) {
  std::map<std::pair<std::string, int32_t>, int64_t> first;
  for (const ConsumedRecord& record : failed) {
    first.try_emplace({record.topic, record.partition}, record.offset);
  }
  for (const auto& [partition, offset] : first) {
    std::unique_ptr<RdKafka::TopicPartition> target(
        RdKafka::TopicPartition::create(partition.first, partition.second, offset));
    RdKafka::ErrorCode code = consumer_->seek(*target, 5000);
    if (code != RdKafka::ERR_NO_ERROR) {
      log::Error("consumer: seek {}/{} failed: {}", partition.first, partition.second,
                 RdKafka::err2str(code));
    }
  }
}

void EventConsumer::Renew() {
  std::string reason;
  consumer_->fatal_error(reason);
  assigned_.store(false);
  constexpr absl::Duration kFirstPause = absl::Seconds(1);
  constexpr absl::Duration kLongestPause = absl::Seconds(30);
  constexpr absl::Duration kQuietSpell = absl::Minutes(5);  // then the pauses start again
  if (!since_renewal_.has_value() || since_renewal_->Elapsed() >= kQuietSpell) {
    renewal_backoff_ = absl::ZeroDuration();
  }
  log::Error(
      "consumer: librdkafka gave up on the consumer ({}); a new one rejoins the group in {} s",
      reason, absl::ToDoubleSeconds(renewal_backoff_));
  {
    absl::MutexLock lock(&health_mu_);
    ++health_.renewals;
    health_.last_error = absl::StrCat("renewed after a fatal error: ", reason);
  }
  const Deadline pause(renewal_backoff_, options_.monotonic);
  while (!pause.Passed() && !stopping_.load()) {
    options_.monotonic->SleepFor(std::min(pause.Left(), absl::Milliseconds(100)));
  }
  renewal_backoff_ = std::clamp(renewal_backoff_ * 2, kFirstPause, kLongestPause);
  since_renewal_.emplace(options_.monotonic);
  std::unique_ptr<RdKafka::KafkaConsumer> given_up;
  {
    absl::MutexLock lock(&consumer_mu_);
    given_up = std::move(consumer_);
  }
  given_up->close();
  given_up.reset();
  while (!stopping_.load()) {
    absl::StatusOr<std::unique_ptr<RdKafka::KafkaConsumer>> renewed = Subscribe();
    if (renewed.ok()) {
      absl::MutexLock lock(&consumer_mu_);
      consumer_ = *std::move(renewed);
      fatal_ = false;
      return;
    }
    log::Error("consumer: a new consumer could not be made: {}", renewed.status().ToString());
    options_.monotonic->SleepFor(absl::Seconds(1));
  }
}

void EventConsumer::Loop() {
  Stopwatch since_call(options_.monotonic);
  while (!stopping_.load()) {
    if (fatal_) {
      Renew();
      continue;
    }
    std::vector<ConsumedRecord> records = Poll();
    if (records.empty() && since_call.Elapsed() < options_.tick) continue;
    since_call.Restart();
    absl::Status status = handler_(records);
    if (status.ok()) {
      applied_ += records.size();
      {
        absl::MutexLock lock(&health_mu_);
        for (const ConsumedRecord& record : records) ++consumed_by_topic_[record.topic];
      }
      absl::MutexLock lock(&health_mu_);
      if (health_.stuck) {
        log::Info("consumer: recovered after {} s",
                  absl::ToInt64Seconds(options_.clock->Now() - health_.stuck_since));
        health_.stuck = false;
      }
      continue;
    }
    Fail(status);
    Rewind(records);
    options_.monotonic->SleepFor(absl::Milliseconds(200));
  }
}

ConsumedRecord RecordOf(const RdKafka::Message& message) {
  ConsumedRecord record;
  record.topic = message.topic_name();
  record.partition = message.partition();
  record.offset = message.offset();
  if (message.key() != nullptr) record.key = *message.key();
  if (message.payload() == nullptr) {
    record.tombstone = true;
  } else {
    record.payload.assign(static_cast<const char*>(message.payload()), message.len());
  }
  return record;
}

}  // namespace complaints
