// The Kafka adapter against a real Apache Kafka broker started by deploy/local/kafka.sh.
#include <cstdio>
#include <map>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "libs/eventlog/admin.h"
#include "libs/eventlog/consumer.h"
#include "libs/eventlog/relay.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/testing/eventually.h"
#include "libs/testing/kafka_broker.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

using namespace complaints::testing;

constexpr int kEvents = 600;

class EventlogBrokerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    broker_ = KafkaBroker::Start(dir_->path()).release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    delete dir_;
  }
  void SetUp() override { ASSERT_NE(broker_, nullptr); }
  KafkaOptions Kafka() const { return broker_->Client("admin"); }

  static TempDir* dir_;
  static KafkaBroker* broker_;
};
TempDir* EventlogBrokerTest::dir_ = nullptr;
KafkaBroker* EventlogBrokerTest::broker_ = nullptr;

// Writes `records` into the outbox as a unit of work would, synced.
bool EnqueueAll(Outbox& outbox, const std::vector<OutboxRecord>& records) {
  Batch batch;
  const Outbox::Ticket ticket = outbox.Stage(batch, records);
  const bool written = outbox.store()->Write(batch, Durability::kSynced).ok();
  outbox.Settle(ticket, written);
  return written;
}
bool Enqueue(Outbox& outbox, const OutboxRecord& record) { return EnqueueAll(outbox, {record}); }

// An outbox and its relay publishing as intake, on a store of their own.
struct Publisher {
  Publisher(const KafkaOptions& kafka, const std::string& dir)
      : store(*Store::Open(dir)),
        outbox(*Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE))),
        letters(*DeadLetters::Open(store.get())),
        relay(*OutboxRelay::Create(outbox.get(), {.kafka = kafka, .dead_letters = letters.get()})) {
    relay->Start();
  }
  std::unique_ptr<Store> store;
  std::unique_ptr<Outbox> outbox;
  std::unique_ptr<DeadLetters> letters;
  std::unique_ptr<OutboxRelay> relay;
};

// Records consumed, by key, in the order they came.
struct Seen {
  size_t count() {
    absl::MutexLock lock(&mu);
    size_t total = 0;
    for (const auto& [key, payloads] : by_key) total += payloads.size();
    return total;
  }
  absl::Mutex mu;
  std::map<std::string, std::vector<std::string>> by_key ABSL_GUARDED_BY(mu);
};

// Consumes into `seen` (key -> payloads in order), storing offsets in `store`;
// every record must be on the partition its key gives (the producer's
// partitioner and PartitionOf agree; the topic has 6 partitions).
std::unique_ptr<EventConsumer> StartConsumer(const KafkaOptions& kafka, const std::string& topic,
                                             Store* store, Seen* seen) {
  auto consumer = EventConsumer::Create(
      // A group per topic: a static member that rejoins keeps its cached
      // assignment, whatever it subscribes to now.
      {.kafka = kafka,
       .group_id = "test-group-" + topic,
       .instance_id = "test-consumer-" + topic,
       .topics = {topic}},
      store);
  EXPECT_TRUE(consumer.ok()) << consumer.status();
  (*consumer)->Start([=](const std::vector<ConsumedRecord>& records) {
    Batch batch;
    absl::MutexLock lock(&seen->mu);
    for (const ConsumedRecord& record : records) {
      EXPECT_EQ(record.partition, PartitionOf(record.key, 6)) << record.key;
      seen->by_key[record.key].push_back(Unsigned(record.payload));
      StageConsumedOffset(batch, record);
    }
    return store->Write(batch, Durability::kBuffered);
  });
  return *std::move(consumer);
}

TEST_F(EventlogBrokerTest, EnsureTopicsIsIdempotent) {
  EXPECT_TRUE(
      EnsureTopics(Kafka(), {"admin.a", "admin.b"}, {.partitions = 3}, absl::Seconds(20)).ok());
  EXPECT_TRUE(
      EnsureTopics(Kafka(), {"admin.a", "admin.b"}, {.partitions = 3}, absl::Seconds(20)).ok());
  const absl::Status other =
      EnsureTopics(Kafka(), {"admin.a"}, {.partitions = 6}, absl::Seconds(20));
  EXPECT_EQ(other.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(other.message(),
            "topic admin.a has 3 partitions, but --partitions is 6: state is laid out by "
            "partition, so they must agree");
}

TEST_F(EventlogBrokerTest, RelayPublishesInOrderAndConsumerResumesFromStoredOffsets) {
  const std::string topic = "relay.test";
  ASSERT_TRUE(EnsureTopics(Kafka(), {topic}, {.partitions = 6}, absl::Seconds(20)).ok());
  TempDir state;
  Publisher publisher(Kafka(), state.Sub("producer"));
  Outbox* outbox = publisher.outbox.get();
  OutboxRelay* relay = publisher.relay.get();
  for (int i = 0; i < kEvents; ++i) {
    ASSERT_TRUE(Enqueue(*outbox, {topic, "C" + std::to_string(i % 20), std::to_string(i)}));
  }

  auto consumer_store = *Store::Open(state.Sub("consumer"));
  Seen seen;
  auto consumer = StartConsumer(Kafka(), topic, consumer_store.get(), &seen);
  ASSERT_TRUE(Eventually([&] { return seen.count() >= kEvents; }, absl::Seconds(60)))
      << seen.count();
  EXPECT_TRUE(Eventually([&] { return relay->backlog() == 0; }, absl::Seconds(10)))
      << "delivered entries leave the outbox";
  EXPECT_EQ(relay->published(), static_cast<uint64_t>(kEvents));
  {
    absl::MutexLock lock(&seen.mu);
    for (const auto& [key, payloads] : seen.by_key) {
      for (size_t k = 1; k < payloads.size(); ++k) {
        EXPECT_LT(std::stoi(payloads[k - 1]), std::stoi(payloads[k])) << "order of key " << key;
      }
    }
  }
  consumer.reset();

  // A new consumer on the same store starts where the old one stopped: nothing again.
  Seen again;
  ASSERT_TRUE(Enqueue(*outbox, {topic, "C-last", "last"}));
  auto resumed = StartConsumer(Kafka(), topic, consumer_store.get(), &again);
  ASSERT_TRUE(Eventually(
      [&] {
        absl::MutexLock lock(&again.mu);
        return again.by_key.count("C-last") > 0;
      },
      absl::Seconds(60)));
  absl::SleepFor(absl::Seconds(1));
  absl::MutexLock lock(&again.mu);
  EXPECT_EQ(again.by_key.size(), 1u) << "only the new event is delivered after a restart";
  relay->Stop();
}

// librdkafka 2.0 stops fetching once the consumer's queue is full and looks
// again up to a second later: a catch-up far larger than its read-ahead,
// nudging the broker when it waits (catch_up.cc), reads every record once,
// in order.
TEST_F(EventlogBrokerTest, ACatchUpLargerThanItsReadAheadReadsEveryRecordOnceInOrder) {
  const std::string topic = "catch-up.test";
  ASSERT_TRUE(EnsureTopics(Kafka(), {topic}, {.partitions = 6}, absl::Seconds(20)).ok());
  TempDir state;
  Publisher publisher(Kafka(), state.Sub("producer"));
  constexpr int kRecords = 4000;
  const std::string filler(1500, 'x');
  for (int from = 0; from < kRecords; from += 500) {
    std::vector<OutboxRecord> records;
    for (int i = from; i < from + 500; ++i) {
      records.push_back({topic, "C" + std::to_string(i % 60), std::to_string(i) + " " + filler});
    }
    ASSERT_TRUE(EnqueueAll(*publisher.outbox, records));
  }
  ASSERT_TRUE(Eventually([&] { return publisher.relay->backlog() == 0; }, absl::Seconds(60)));
  publisher.relay->Stop();

  auto store = *Store::Open(state.Sub("consumer"));
  std::map<std::string, std::vector<int>> by_key;
  const std::atomic<bool> stop{false};
  ConsumerOptions options;
  options.kafka = Kafka();
  options.group_id = "catch-up-test";
  options.catch_up_read_ahead_kib = 512;
  absl::StatusOr<EventConsumer::CatchUpResult> read = EventConsumer::CatchUp(
      options, store.get(), topic,
      [&](const std::vector<ConsumedRecord>& records) {
        Batch batch;
        for (const ConsumedRecord& record : records) {
          by_key[record.key].push_back(std::stoi(Unsigned(record.payload)));
          StageConsumedOffset(batch, record);
        }
        return store->Write(batch, Durability::kBuffered);
      },
      stop);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->records, static_cast<uint64_t>(kRecords)) << "6 MB through 512 KiB";
  // How often it waited and nudged depends on how the machine shares its
  // cores with the broker (none when the applier is the slower): reported,
  // not asserted.
  RecordProperty("nudges", static_cast<int>(read->nudges));
  ASSERT_EQ(by_key.size(), 60u);
  for (const auto& [key, values] : by_key) {
    ASSERT_EQ(values.size(),
              static_cast<size_t>(kRecords / 60 + (std::stoi(key.substr(1)) < kRecords % 60)))
        << key;
    for (size_t k = 1; k < values.size(); ++k) {
      EXPECT_EQ(values[k], values[k - 1] + 60) << "every record of " << key << " once, in order";
    }
  }
}

TEST_F(EventlogBrokerTest, AnEntryTheBrokerRefusesForGoodIsADeadLetterAndTheRestFlow) {
  const std::string topic = "relay.refused";
  ASSERT_TRUE(EnsureTopics(Kafka(), {topic}, {.partitions = 6}, absl::Seconds(20)).ok());
  TempDir state;
  auto store = *Store::Open(state.Sub("producer"));
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
  auto letters = *DeadLetters::Open(store.get());
  KafkaOptions kafka = Kafka();
  // The broker creates no topics on demand; give up on one it does not know soon.
  kafka.overrides["topic.metadata.propagation.max.ms"] = "1000";
  auto relay = *OutboxRelay::Create(outbox.get(), {.kafka = kafka, .dead_letters = letters.get()});
  relay->Start();
  for (const auto& [to, payload] : std::vector<std::pair<std::string, std::string>>{
           {topic, "before"}, {"no.such.topic", "lost-topic"}, {topic, "after"}}) {
    ASSERT_TRUE(Enqueue(*outbox, {to, "C1", payload}));
  }
  EXPECT_TRUE(Eventually([&] { return relay->backlog() == 0; }, absl::Seconds(60)))
      << "the refused entry must not hold back the others";
  EXPECT_EQ(relay->published(), 2u);
  ASSERT_EQ(letters->total(), 1u);
  const v1::ListDeadLettersResponse listed = *letters->List(10, "");
  ASSERT_EQ(listed.dead_letters_size(), 1);
  const v1::DeadLetter& letter = listed.dead_letters(0);
  EXPECT_EQ(letter.kind(), v1::DEAD_LETTER_KIND_PUBLISH_REFUSED);
  EXPECT_EQ(letter.record().topic(), "no.such.topic");
  EXPECT_EQ(Unsigned(letter.record().payload()), "lost-topic");
  EXPECT_FALSE(letter.reason().empty());
  std::printf("[figures] relay: refused entry dead-lettered with reason \"%s\"\n",
              letter.reason().c_str());

  Seen seen;
  TempDir consumed;
  auto consumer_store = *Store::Open(consumed.Sub("consumer"));
  auto consumer = StartConsumer(Kafka(), topic, consumer_store.get(), &seen);
  ASSERT_TRUE(Eventually(
      [&] {
        absl::MutexLock lock(&seen.mu);
        return seen.by_key["C1"].size() >= 2;
      },
      absl::Seconds(60)));
  absl::MutexLock lock(&seen.mu);
  EXPECT_EQ(seen.by_key["C1"], (std::vector<std::string>{"before", "after"}));
  relay->Stop();
}

// A static member fenced by its own group.instance.id (after a broker restart
// that outlasts its session librdkafka rejoins under a new member id; here a
// second process takes the id) gets a fatal error. The consumer must rejoin
// and go on from its stored offsets, not poll a dead handle while it looks
// healthy.
TEST_F(EventlogBrokerTest, AFencedConsumerRejoinsAndGoesOnFromItsStoredOffsets) {
  const std::string topic = "fenced.test";
  ASSERT_TRUE(EnsureTopics(Kafka(), {topic}, {.partitions = 6}, absl::Seconds(20)).ok());
  TempDir state;
  Publisher publisher(Kafka(), state.Sub("producer"));
  constexpr int kEach = 100;
  auto enqueue = [&](int from) {
    for (int i = from; i < from + kEach; ++i) {
      ASSERT_TRUE(
          Enqueue(*publisher.outbox, {topic, "C" + std::to_string(i % 10), std::to_string(i)}));
    }
  };
  Seen seen;
  auto store = *Store::Open(state.Sub("first"));
  auto first = StartConsumer(Kafka(), topic, store.get(), &seen);
  enqueue(0);
  ASSERT_TRUE(Eventually([&] { return seen.count() >= kEach; }, absl::Seconds(60))) << seen.count();

  Seen intruder_seen;
  auto intruder_store = *Store::Open(state.Sub("intruder"));
  auto intruder = StartConsumer(Kafka(), topic, intruder_store.get(), &intruder_seen);
  ASSERT_TRUE(Eventually([&] { return first->health().renewals >= 1; }, absl::Seconds(30)))
      << "the first consumer is fenced once the intruder joins with its instance id";
  intruder.reset();
  EXPECT_NE(first->health().last_error.find("fenced"), std::string::npos)
      << first->health().last_error;

  enqueue(kEach);
  ASSERT_TRUE(
      Eventually([&] { return seen.count() >= 2 * kEach && first->assigned(); }, absl::Seconds(60)))
      << seen.count() << " records, assigned " << first->assigned();
  absl::SleepFor(absl::Seconds(1));
  absl::MutexLock lock(&seen.mu);
  std::map<std::string, int> times;
  for (const auto& [key, payloads] : seen.by_key) {
    for (const std::string& payload : payloads) ++times[payload];
  }
  EXPECT_EQ(times.size(), static_cast<size_t>(2 * kEach)) << "every record, the later ones too";
  for (const auto& [payload, n] : times)
    EXPECT_EQ(n, 1) << "record " << payload << " applied twice";
  std::printf("[figures] fenced consumer: %llu renewal(s), %zu records applied once each\n",
              static_cast<unsigned long long>(first->health().renewals), times.size());
  publisher.relay->Stop();
}

}  // namespace
}  // namespace complaints

namespace complaints {
namespace {

// Produces one record to `topic` as `options` says and waits for the
// broker's verdict (ERR__MSG_TIMED_OUT when it never got through).
RdKafka::ErrorCode ProduceOnce(KafkaOptions options, const std::string& topic) {
  options.overrides["message.timeout.ms"] = "5000";
  options.overrides["enable.idempotence"] = "false";
  struct Verdict : RdKafka::DeliveryReportCb {
    void dr_cb(RdKafka::Message& message) override { code = message.err(); }
    RdKafka::ErrorCode code = RdKafka::ERR__MSG_TIMED_OUT;
  } verdict;
  absl::StatusOr<std::unique_ptr<RdKafka::Conf>> conf = MakeKafkaConf(options, {});
  EXPECT_TRUE(conf.ok()) << conf.status();
  if (!conf.ok()) return RdKafka::ERR__INVALID_ARG;
  std::string error;
  (*conf)->set("dr_cb", &verdict, error);
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf->get(), error));
  EXPECT_NE(producer, nullptr) << error;
  if (!producer) return RdKafka::ERR__INVALID_ARG;
  std::string payload = "forged";
  const RdKafka::ErrorCode queued =
      producer->produce(topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                        payload.data(), payload.size(), nullptr, 0, 0, nullptr);
  if (queued != RdKafka::ERR_NO_ERROR) return queued;
  producer->flush(15'000);
  return verdict.code;
}

// docs/architecture.md "Topics and ownership", enforced by the broker: each topic has
// one writer, and nobody without credentials writes at all.
TEST_F(EventlogBrokerTest, OnlyATopicsOwnWriterWithItsOwnCredentialsMayWriteToIt) {
  const std::string intake_topic(topics::kIntake);
  KafkaOptions anonymous{.brokers = broker_->bootstrap(), .client_id = "anonymous"};
  EXPECT_NE(ProduceOnce(anonymous, intake_topic), RdKafka::ERR_NO_ERROR) << "no credentials";
  KafkaOptions wrong = broker_->Client("intake");
  wrong.password = "not-the-password";
  EXPECT_NE(ProduceOnce(wrong, intake_topic), RdKafka::ERR_NO_ERROR) << "a wrong password";
  for (const char* other : {"dispatch", "tracking", "analytics"}) {
    EXPECT_EQ(ProduceOnce(broker_->Client(other), intake_topic),
              RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED)
        << other << " may not write intake's topic";
  }
  EXPECT_EQ(ProduceOnce(broker_->Client("analytics"), std::string(topics::kTracking)),
            RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED)
      << "analytics writes nothing";
  EXPECT_EQ(ProduceOnce(broker_->Client("intake"), intake_topic), RdKafka::ERR_NO_ERROR);
  EXPECT_EQ(ProduceOnce(broker_->Client("tracking"), std::string(topics::kNotifications)),
            RdKafka::ERR_NO_ERROR);
}

}  // namespace
}  // namespace complaints
