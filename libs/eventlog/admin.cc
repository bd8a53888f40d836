#include "libs/eventlog/admin.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/core/clock.h"
#include "libs/core/status_macros.h"
#include "libs/runner/topics.h"

namespace complaints {
namespace {

struct TopicDeleter {
  void operator()(rd_kafka_NewTopic_t* topic) const { rd_kafka_NewTopic_destroy(topic); }
};
struct AclDeleter {
  void operator()(rd_kafka_AclBinding_t* acl) const { rd_kafka_AclBinding_destroy(acl); }
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

absl::StatusOr<std::unique_ptr<RdKafka::Producer>> AdminClient(const KafkaOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::Conf> conf, MakeKafkaConf(options, {}));
  std::string error;
  std::unique_ptr<RdKafka::Producer> client(RdKafka::Producer::create(conf.get(), error));
  if (!client) return absl::InternalError(absl::StrCat("kafka admin client: ", error));
  return client;
}

// Sends an admin request with `start` on a queue of its own and waits for its
// result event (null: none within the timeout).
template <typename Start>
std::unique_ptr<rd_kafka_event_t, EventDeleter> Request(rd_kafka_t* rk, rd_kafka_admin_op_t op,
                                                        int timeout_ms, const Start& start) {
  char errstr[512];
  std::unique_ptr<rd_kafka_AdminOptions_t, OptionsDeleter> options(
      rd_kafka_AdminOptions_new(rk, op));
  rd_kafka_AdminOptions_set_request_timeout(options.get(), timeout_ms, errstr, sizeof errstr);
  if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS) {
    rd_kafka_AdminOptions_set_operation_timeout(options.get(), timeout_ms, errstr, sizeof errstr);
  }
  std::unique_ptr<rd_kafka_queue_t, QueueDeleter> queue(rd_kafka_queue_new(rk));
  start(options.get(), queue.get());
  return std::unique_ptr<rd_kafka_event_t, EventDeleter>(
      rd_kafka_queue_poll(queue.get(), timeout_ms + 1000));
}

// Topic name -> partition count, of the topics this client may see. A topic
// just created may answer "leader not available" for a moment: asked again
// until every topic answers, or the timeout.
using Partitions = std::map<std::string, int>;
absl::StatusOr<Partitions> VisibleTopics(RdKafka::Producer& client, int timeout_ms) {
  const Deadline deadline(absl::Milliseconds(timeout_ms));
  while (true) {
    RdKafka::Metadata* raw = nullptr;
    const RdKafka::ErrorCode code = client.metadata(true, nullptr, &raw, timeout_ms);
    std::unique_ptr<RdKafka::Metadata> metadata(raw);
    if (code != RdKafka::ERR_NO_ERROR) {
      return absl::UnavailableError(absl::StrCat("kafka metadata: ", RdKafka::err2str(code)));
    }
    Partitions topics;
    bool settled = true;
    for (const RdKafka::TopicMetadata* topic : *metadata->topics()) {
      if (topic->err() == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART ||
          topic->err() == RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED) {
        continue;
      }
      settled &= topic->err() == RdKafka::ERR_NO_ERROR;
      topics[topic->topic()] = static_cast<int>(topic->partitions()->size());
    }
    if (settled || deadline.Passed()) return topics;
    MonotonicClock::Default()->SleepFor(absl::Milliseconds(100));
  }
}

absl::Status CreateTopics(rd_kafka_t* rk, const std::vector<absl::string_view>& names,
                          const TopicSettings& settings, int timeout_ms) {
  std::vector<std::unique_ptr<rd_kafka_NewTopic_t, TopicDeleter>> owned;
  std::vector<rd_kafka_NewTopic_t*> requests;
  char errstr[512];
  for (absl::string_view name : names) {
    rd_kafka_NewTopic_t* topic =
        rd_kafka_NewTopic_new(std::string(name).c_str(), settings.partitions,
                              settings.replication_factor, errstr, sizeof errstr);
    if (topic == nullptr) return absl::InvalidArgumentError(absl::StrCat(name, ": ", errstr));
    rd_kafka_NewTopic_set_config(topic, "retention.ms", "-1");
    rd_kafka_NewTopic_set_config(topic, "retention.bytes", "-1");
    if (topics::IsCompacted(name)) {
      rd_kafka_NewTopic_set_config(topic, "cleanup.policy", "compact");
      rd_kafka_NewTopic_set_config(topic, "segment.ms",
                                   std::to_string(settings.compacted_segment_ms).c_str());
      rd_kafka_NewTopic_set_config(topic, "delete.retention.ms",
                                   std::to_string(settings.compacted_delete_retention_ms).c_str());
      rd_kafka_NewTopic_set_config(topic, "min.cleanable.dirty.ratio",
                                   absl::StrCat(settings.compacted_min_dirty_ratio).c_str());
    }
    rd_kafka_NewTopic_set_config(topic, "min.insync.replicas",
                                 std::to_string(settings.min_insync_replicas).c_str());
    owned.emplace_back(topic);
    requests.push_back(topic);
  }
  auto event =
      Request(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout_ms,
              [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                rd_kafka_CreateTopics(rk, requests.data(), requests.size(), options, queue);
              });
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
  return absl::OkStatus();
}

// Waits until the broker lists at least `expected` ACLs.
absl::Status WaitForAcls(rd_kafka_t* rk, size_t expected, int timeout_ms) {
  char errstr[512];
  std::unique_ptr<rd_kafka_AclBindingFilter_t, AclDeleter> any(rd_kafka_AclBindingFilter_new(
      RD_KAFKA_RESOURCE_ANY, nullptr, RD_KAFKA_RESOURCE_PATTERN_ANY, nullptr, nullptr,
      RD_KAFKA_ACL_OPERATION_ANY, RD_KAFKA_ACL_PERMISSION_TYPE_ANY, errstr, sizeof errstr));
  if (!any) return absl::InternalError(absl::StrCat("acl filter: ", errstr));
  const Deadline deadline(absl::Milliseconds(timeout_ms));
  size_t listed = 0;
  while (!deadline.Passed()) {
    auto event = Request(rk, RD_KAFKA_ADMIN_OP_DESCRIBEACLS, timeout_ms,
                         [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                           rd_kafka_DescribeAcls(rk, any.get(), options, queue);
                         });
    if (event && rd_kafka_event_error(event.get()) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_DescribeAcls_result_acls(rd_kafka_event_DescribeAcls_result(event.get()), &listed);
      if (listed >= expected) return absl::OkStatus();
    }
    MonotonicClock::Default()->SleepFor(absl::Milliseconds(100));
  }
  return absl::UnavailableError(
      absl::StrCat("kafka: the broker lists ", listed, " of ", expected, " ACLs"));
}

}  // namespace

absl::Status EnsureTopics(const KafkaOptions& options, const std::vector<absl::string_view>& topics,
                          const TopicSettings& settings, absl::Duration timeout) {
  if (settings.min_insync_replicas < 1 ||
      settings.min_insync_replicas > settings.replication_factor) {
    return absl::InvalidArgumentError(absl::StrCat(
        "min.insync.replicas ", settings.min_insync_replicas,
        " must be between 1 and the replication factor ", settings.replication_factor));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::Producer> client, AdminClient(options));
  const int timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  ASSIGN_OR_RETURN(Partitions existing, VisibleTopics(*client, timeout_ms));
  std::vector<absl::string_view> missing;
  for (absl::string_view name : topics) {
    if (existing.count(std::string(name)) == 0) missing.push_back(name);
  }
  if (!missing.empty()) {
    RETURN_IF_ERROR(CreateTopics(client->c_ptr(), missing, settings, timeout_ms));
    // The broker lists a topic a moment after its controller created it.
    const Deadline deadline(timeout);
    while (true) {
      ASSIGN_OR_RETURN(existing, VisibleTopics(*client, timeout_ms));
      const bool listed = std::all_of(missing.begin(), missing.end(), [&](absl::string_view name) {
        return existing.count(std::string(name)) > 0;
      });
      if (listed) break;
      if (deadline.Passed()) {
        return absl::UnavailableError("kafka: created topics are not listed yet");
      }
      MonotonicClock::Default()->SleepFor(absl::Milliseconds(100));
    }
  }
  // A topic that existed already must have the partitions the projections
  // are laid out for (libs/runner/partitioning.h).
  for (absl::string_view name : topics) {
    auto found = existing.find(std::string(name));
    if (found != existing.end() && found->second != settings.partitions) {
      return absl::FailedPreconditionError(absl::StrCat(
          "topic ", name, " has ", found->second, " partitions, but --partitions is ",
          settings.partitions, ": state is laid out by partition, so they must agree"));
    }
  }
  return absl::OkStatus();
}

const std::vector<TopicAccess>& PlatformTopicAccess() {
  using std::string;
  static const auto* const kAccess = new std::vector<TopicAccess>{
      {"intake",
       {string(topics::kIntake), string(topics::kEvidence), string(topics::kKeys)},
       {string(topics::kIntake), string(topics::kEvidence), string(topics::kKeys),
        string(topics::kDispatch), string(topics::kNotifications)},
       "intake"},
      {"dispatch",
       {string(topics::kDispatch)},
       {string(topics::kIntake), string(topics::kDispatch), string(topics::kTracking),
        string(topics::kAnalytics)},
       "dispatch"},
      {"tracking",
       {string(topics::kTracking), string(topics::kNotifications)},
       {string(topics::kIntake), string(topics::kDispatch), string(topics::kTracking),
        string(topics::kAnalytics)},
       "tracking"},
      {"analytics",
       {string(topics::kAnalytics)},
       {string(topics::kIntake), string(topics::kDispatch), string(topics::kTracking),
        string(topics::kAnalytics)},
       "analytics"},
  };
  return *kAccess;
}

absl::Status EnsureAcls(const KafkaOptions& admin, const std::vector<TopicAccess>& access,
                        absl::Duration timeout) {
  std::vector<std::unique_ptr<rd_kafka_AclBinding_t, AclDeleter>> owned;
  std::vector<rd_kafka_AclBinding_t*> bindings;
  char errstr[512];
  auto allow = [&](rd_kafka_ResourceType_t type, const std::string& name, const std::string& user,
                   rd_kafka_AclOperation_t operation) -> absl::Status {
    rd_kafka_AclBinding_t* binding = rd_kafka_AclBinding_new(
        type, name.c_str(), RD_KAFKA_RESOURCE_PATTERN_LITERAL, ("User:" + user).c_str(), "*",
        operation, RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW, errstr, sizeof errstr);
    if (binding == nullptr) return absl::InvalidArgumentError(absl::StrCat("acl: ", errstr));
    owned.emplace_back(binding);
    bindings.push_back(binding);
    return absl::OkStatus();
  };
  for (const TopicAccess& entry : access) {
    // Every platform topic may be seen (its metadata: partitions), none
    // written or read beyond the table.
    for (absl::string_view topic : topics::kAll) {
      RETURN_IF_ERROR(allow(RD_KAFKA_RESOURCE_TOPIC, std::string(topic), entry.user,
                            RD_KAFKA_ACL_OPERATION_DESCRIBE));
    }
    for (const std::string& topic : entry.writes) {
      RETURN_IF_ERROR(
          allow(RD_KAFKA_RESOURCE_TOPIC, topic, entry.user, RD_KAFKA_ACL_OPERATION_WRITE));
      RETURN_IF_ERROR(
          allow(RD_KAFKA_RESOURCE_TOPIC, topic, entry.user, RD_KAFKA_ACL_OPERATION_CREATE));
    }
    for (const std::string& topic : entry.reads) {
      RETURN_IF_ERROR(
          allow(RD_KAFKA_RESOURCE_TOPIC, topic, entry.user, RD_KAFKA_ACL_OPERATION_READ));
    }
    if (!entry.group.empty()) {
      RETURN_IF_ERROR(
          allow(RD_KAFKA_RESOURCE_GROUP, entry.group, entry.user, RD_KAFKA_ACL_OPERATION_READ));
    }
  }
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::Producer> client, AdminClient(admin));
  rd_kafka_t* rk = client->c_ptr();
  const int timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  auto event = Request(rk, RD_KAFKA_ADMIN_OP_CREATEACLS, timeout_ms,
                       [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                         rd_kafka_CreateAcls(rk, bindings.data(), bindings.size(), options, queue);
                       });
  if (!event) return absl::UnavailableError("kafka: no answer to CreateAcls");
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(
        absl::StrCat("kafka CreateAcls: ", rd_kafka_event_error_string(event.get())));
  }
  const rd_kafka_CreateAcls_result_t* result = rd_kafka_event_CreateAcls_result(event.get());
  size_t count = 0;
  const rd_kafka_acl_result_t** results = rd_kafka_CreateAcls_result_acls(result, &count);
  for (size_t i = 0; i < count; ++i) {
    if (const rd_kafka_error_t* error = rd_kafka_acl_result_error(results[i]); error != nullptr) {
      return absl::UnavailableError(
          absl::StrCat("kafka CreateAcls: ", rd_kafka_error_string(error)));
    }
  }
  // The broker authorizes from its own copy of the metadata, a moment behind
  // the controller: wait until it lists them all, so a service started next
  // is not refused.
  return WaitForAcls(rk, bindings.size(), timeout_ms);
}

}  // namespace complaints
