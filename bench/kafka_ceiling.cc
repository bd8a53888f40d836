// The broker's ceiling as librdkafka sees it (what rdkafka_performance
// measures): RECORDS records of SIZE bytes produced as fast as possible to
// a topic of the platform's partition count, with the platform's producer
// settings (SASL/SCRAM, idempotent, acks=all, lz4, linger 5 ms), then read
// back by one consumer. Prints records/s both ways and the broker's CPU per
// record. bench/pipeline.sh runs it against its own secured broker.
//   kafka_ceiling BROKERS USER PASSWORD_FILE BROKER_PID [RECORDS] [SIZE]
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "bench/pipeline/process_stats.h"
#include "libs/core/clock.h"
#include "libs/eventlog/admin.h"
#include "libs/eventlog/kafka_config.h"

namespace {

using namespace complaints;

class Counted final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    if (message.err() == RdKafka::ERR_NO_ERROR) {
      ++delivered;
    } else {
      ++failed;
    }
  }
  int64_t delivered = 0, failed = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr,
                 "usage: kafka_ceiling BROKERS USER PASSWORD_FILE BROKER_PID [RECORDS] [SIZE]\n");
    return 2;
  }
  const int64_t records = argc > 5 ? std::atoll(argv[5]) : 200'000;
  const size_t size = argc > 6 ? static_cast<size_t>(std::atoll(argv[6])) : 530;
  const pid_t broker = static_cast<pid_t>(std::atoi(argv[4]));
  absl::StatusOr<std::string> password = ReadPasswordFile(argv[3]);
  if (!password.ok()) {
    std::fprintf(stderr, "%s\n", password.status().ToString().c_str());
    return 2;
  }
  const KafkaOptions options{
      .brokers = argv[1], .client_id = "kafka-ceiling", .username = argv[2], .password = *password};
  const std::string topic = absl::StrCat("bench.ceiling.", absl::ToUnixMillis(WallNow()));
  if (absl::Status made = EnsureTopics(options, {topic}, TopicSettings{}, absl::Seconds(30));
      !made.ok()) {
    std::fprintf(stderr, "topic: %s\n", made.ToString().c_str());
    return 1;
  }
  Counted counted;
  auto conf = MakeKafkaConf(options, {{"enable.idempotence", "true"},
                                      {"acks", "all"},
                                      {"linger.ms", "5"},
                                      {"compression.type", "lz4"}});
  std::string error;
  if (!conf.ok() || (*conf)->set("dr_cb", &counted, error) != RdKafka::Conf::CONF_OK) return 1;
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf->get(), error));
  if (!producer) {
    std::fprintf(stderr, "producer: %s\n", error.c_str());
    return 1;
  }
  // Varied bytes, so lz4 compresses them about as much as protobuf events.
  std::string payload(size, 'x');
  for (size_t i = 0; i < size; ++i) payload[i] = static_cast<char>('a' + (i * 7919) % 26);
  const absl::Duration broker_before = bench::CpuOf(broker);
  const absl::Time started = WallNow();
  for (int64_t i = 0; i < records; ++i) {
    const std::string key = absl::StrCat("C", i % 100'000);
    payload[i % size] = static_cast<char>('a' + i % 26);
    while (producer->produce(topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                             payload.data(), payload.size(), key.data(), key.size(), 0,
                             nullptr) == RdKafka::ERR__QUEUE_FULL) {
      producer->poll(10);
    }
    producer->poll(0);
  }
  producer->flush(120'000);
  const double seconds = absl::ToDoubleSeconds(WallNow() - started);
  const double broker_ms = absl::ToDoubleMilliseconds(bench::CpuOf(broker) - broker_before);
  std::printf(
      "[figures] kafka ceiling (librdkafka, %zu-byte records, acks=all, idempotent, lz4): %lld "
      "delivered, %lld failed in %.1f s: %.0f records/s; broker CPU %.4f ms per record\n",
      size, static_cast<long long>(counted.delivered), static_cast<long long>(counted.failed),
      seconds, counted.delivered / seconds, broker_ms / static_cast<double>(records));
  std::printf("pipeline-row ceiling rdkafka_records_per_s %.1f\n", counted.delivered / seconds);
  std::printf("pipeline-row ceiling broker_cpu_ms_per_record %.5f\n",
              broker_ms / static_cast<double>(records));
  return counted.failed == 0 ? 0 : 1;
}
