#include "libs/eventlog/admin.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"

namespace complaints {
namespace {

struct TopicDeleter {
  void operator()(rd_kafka_NewTopic_t* topic) const { rd_kafka_NewTopic_destroy(topic); }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* queue) const { rd_kafka_queue_destroy(queue); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* event) const { rd_kafka_event_destroy(event); }
};
struct OptionsDeleter {
  void operator()(rd_kafka_AdminOptions_t* options) const {
    rd_kafka_AdminOptions_destroy(options);
  }
};

}  // namespace

absl::Status EnsureTopics(const KafkaOptions& options, const std::vector<absl::string_view>& topics,
                          const TopicSettings& settings, absl::Duration timeout) {
  if (settings.min_insync_replicas < 1 ||
      settings.min_insync_replicas > settings.replication_factor) {
    return absl::InvalidArgumentError(absl::StrCat(
        "min.insync.replicas ", settings.min_insync_replicas,
        " must be between 1 and the replication factor ", settings.replication_factor));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::Conf> conf, MakeKafkaConf(options, {}));
  std::string error;
  std::unique_ptr<RdKafka::Producer> client(RdKafka::Producer::create(conf.get(), error));
  if (!client) return absl::InternalError(absl::StrCat("kafka admin client: ", error));
  rd_kafka_t* rk = client->c_ptr();

  std::vector<std::unique_ptr<rd_kafka_NewTopic_t, TopicDeleter>> owned;
  std::vector<rd_kafka_NewTopic_t*> requests;
  char errstr[512];
  for (absl::string_view name : topics) {
    rd_kafka_NewTopic_t* topic =
        rd_kafka_NewTopic_new(std::string(name).c_str(), settings.partitions,
                              settings.replication_factor, errstr, sizeof errstr);
    if (topic == nullptr) return absl::InvalidArgumentError(absl::StrCat(name, ": ", errstr));
    rd_kafka_NewTopic_set_config(topic, "retention.ms", "-1");
    rd_kafka_NewTopic_set_config(topic, "retention.bytes", "-1");
    rd_kafka_NewTopic_set_config(topic, "min.insync.replicas",
                                 std::to_string(settings.min_insync_replicas).c_str());
    owned.emplace_back(topic);
    requests.push_back(topic);
  }
  std::unique_ptr<rd_kafka_AdminOptions_t, OptionsDeleter> admin_options(
      rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS));
  const int timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  rd_kafka_AdminOptions_set_request_timeout(admin_options.get(), timeout_ms, errstr, sizeof errstr);
  rd_kafka_AdminOptions_set_operation_timeout(admin_options.get(), timeout_ms, errstr,
                                              sizeof errstr);
  std::unique_ptr<rd_kafka_queue_t, QueueDeleter> queue(rd_kafka_queue_new(rk));
  rd_kafka_CreateTopics(rk, requests.data(), requests.size(), admin_options.get(), queue.get());
  std::unique_ptr<rd_kafka_event_t, EventDeleter> event(
      rd_kafka_queue_poll(queue.get(), timeout_ms + 1000));
  if (!event) return absl::UnavailableError("kafka: no answer to CreateTopics");
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(
        absl::StrCat("kafka CreateTopics: ", rd_kafka_event_error_string(event.get())));
  }
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event.get());
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
  for (size_t i = 0; i < count; ++i) {
    const rd_kafka_resp_err_t code = rd_kafka_topic_result_error(results[i]);
    if (code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      return absl::UnavailableError(absl::StrCat("kafka create topic ",
                                                 rd_kafka_topic_result_name(results[i]), ": ",
                                                 rd_kafka_topic_result_error_string(results[i])));
    }
  }
  // A topic that existed already must have the partitions the projections
  // are laid out for (libs/runner/partitioning.h).
  RdKafka::Metadata* raw = nullptr;
  const RdKafka::ErrorCode code = client->metadata(true, nullptr, &raw, timeout_ms);
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  if (code != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat("kafka metadata: ", RdKafka::err2str(code)));
  }
  for (const RdKafka::TopicMetadata* topic : *metadata->topics()) {
    for (absl::string_view name : topics) {
      if (topic->topic() != name) continue;
      const auto partitions = static_cast<int>(topic->partitions()->size());
      if (partitions != settings.partitions) {
        return absl::FailedPreconditionError(absl::StrCat(
            "topic ", name, " has ", partitions, " partitions, but --partitions is ",
            settings.partitions, ": state is laid out by partition, so they must agree"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace complaints
