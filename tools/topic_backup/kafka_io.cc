#include "tools/topic_backup/kafka_io.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "complaints/v1/config.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/core/status_macros.h"
#include "libs/eventlog/admin.h"
#include "libs/runner/topics.h"
#include "tools/topic_backup/archive.h"

namespace complaints::topic_backup {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr char kFormat[] = "complaints-topics/1";

struct PartitionEnds {
  int64_t low = 0;
  int64_t high = 0;
};

int TimeoutMs(absl::Duration timeout) {
  return static_cast<int>(absl::ToInt64Milliseconds(timeout));
}

absl::StatusOr<std::unique_ptr<RdKafka::KafkaConsumer>> Reader(const KafkaOptions& kafka,
                                                               const std::string& group) {
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::Conf> conf,
                   MakeKafkaConf(kafka, {{"group.id", group},
                                         {"enable.auto.commit", "false"},
                                         {"enable.partition.eof", "true"},
                                         {"auto.offset.reset", "earliest"}}));
  std::string error;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) return absl::UnavailableError(absl::StrCat("kafka consumer: ", error));
  return consumer;
}

using PartitionCountMap = std::map<std::string, int>;  // topic -> partitions

absl::StatusOr<PartitionCountMap> PartitionCounts(RdKafka::KafkaConsumer& consumer,
                                                  absl::Duration timeout) {
  RdKafka::Metadata* raw = nullptr;
  const RdKafka::ErrorCode code = consumer.metadata(true, nullptr, &raw, TimeoutMs(timeout));
  if (code != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat("kafka metadata: ", RdKafka::err2str(code)));
  }
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  std::map<std::string, int> counts;
  for (const RdKafka::TopicMetadata* topic : *metadata->topics()) {
    counts[topic->topic()] = static_cast<int>(topic->partitions()->size());
  }
  return counts;
}

absl::StatusOr<PartitionEnds> Ends(RdKafka::KafkaConsumer& consumer, const std::string& topic,
                                   int partition, absl::Duration timeout) {
  PartitionEnds ends;
  const RdKafka::ErrorCode code =
      consumer.query_watermark_offsets(topic, partition, &ends.low, &ends.high, TimeoutMs(timeout));
  if (code != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError(
        absl::StrCat("offsets of ", topic, "/", partition, ": ", RdKafka::err2str(code)));
  }
  return ends;
}

// Copies [ends.low, ends.high) of one partition into `writer`.
absl::Status ExportPartition(RdKafka::KafkaConsumer& consumer, const std::string& topic,
                             int partition, const PartitionEnds& ends, absl::Duration timeout,
                             ArchiveWriter& writer) {
  if (ends.high <= ends.low) return absl::OkStatus();
  std::unique_ptr<RdKafka::TopicPartition> start(
      RdKafka::TopicPartition::create(topic, partition, ends.low));
  std::vector<RdKafka::TopicPartition*> assignment = {start.get()};
  RdKafka::ErrorCode code = consumer.assign(assignment);
  if (code != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError(
        absl::StrCat("assign ", topic, "/", partition, ": ", RdKafka::err2str(code)));
  }
  absl::Time progress = complaints::WallNow();
  for (bool done = false; !done;) {
    std::unique_ptr<RdKafka::Message> message(consumer.consume(500));
    switch (message->err()) {
      case RdKafka::ERR_NO_ERROR: {
        if (message->offset() >= ends.high) {
          done = true;
          break;
        }
        ArchivedRecord record{.offset = message->offset(),
                              .timestamp_ms = message->timestamp().timestamp};
        if (message->key() != nullptr) record.key = *message->key();
        if (message->payload() != nullptr) {
          record.value.emplace(static_cast<const char*>(message->payload()), message->len());
        }
        RETURN_IF_ERROR(writer.Append(record));
        done = message->offset() >= ends.high - 1;
        progress = complaints::WallNow();
        break;
      }
      case RdKafka::ERR__PARTITION_EOF:
        done = true;  // compaction removed the last offsets
        break;
      case RdKafka::ERR__TIMED_OUT:
        if (complaints::WallNow() - progress > timeout) {
          return absl::DeadlineExceededError(absl::StrCat(topic, "/", partition, ": no record for ",
                                                          absl::FormatDuration(timeout)));
        }
        break;
      default:
        return absl::UnavailableError(absl::StrCat(topic, "/", partition, ": ", message->errstr()));
    }
  }
  consumer.unassign();
  return absl::OkStatus();
}

std::string ArchiveName(const std::string& topic, int partition) {
  return absl::StrCat(topic, "/", partition, ".rec");
}

double Number(const Struct& object, const std::string& field) {
  auto it = object.fields().find(field);
  return it == object.fields().end() ? -1 : it->second.number_value();
}

std::string Text(const Struct& object, const std::string& field) {
  auto it = object.fields().find(field);
  return it == object.fields().end() ? "" : it->second.string_value();
}

class DeliveryFailures final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    if (message.err() != RdKafka::ERR_NO_ERROR && failures_.fetch_add(1) == 0) {
      first_ = message.errstr();
    }
  }
  int failures() const { return failures_.load(); }
  const std::string& first() const { return first_; }

 private:
  std::atomic<int> failures_{0};
  std::string first_;
};

struct ManifestPartition {
  std::string topic;
  int partition = 0;
  PartitionEnds source;
  int64_t records = 0;
  std::string file;
  std::string sha256;
};

// The manifest's partitions, each file checked against its SHA-256.
absl::StatusOr<std::vector<ManifestPartition>> ReadManifest(const std::string& dir) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(dir + "/manifest.json"));
  Struct manifest;
  if (!google::protobuf::util::JsonStringToMessage(text, &manifest).ok() ||
      Text(manifest, "format") != kFormat) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir, "/manifest.json: not a ", kFormat, " manifest"));
  }
  // A missing field reads as empty (and an empty manifest is refused below),
  // rather than stopping the tool.
  auto list = [](const Struct& object, const std::string& field) {
    auto it = object.fields().find(field);
    return it == object.fields().end() ? google::protobuf::ListValue() : it->second.list_value();
  };
  std::vector<ManifestPartition> partitions;
  const google::protobuf::ListValue topic_list = list(manifest, "topics");
  for (const Value& topic : topic_list.values()) {
    const Struct& t = topic.struct_value();
    if (std::find(topics::kAll.begin(), topics::kAll.end(), Text(t, "name")) ==
        topics::kAll.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("manifest: \"", Text(t, "name"), "\" is not a platform topic"));
    }
    const google::protobuf::ListValue partition_list = list(t, "partitions");
    for (const Value& entry : partition_list.values()) {
      const Struct& p = entry.struct_value();
      ManifestPartition partition{.topic = Text(t, "name"),
                                  .partition = static_cast<int>(Number(p, "partition")),
                                  .source = {static_cast<int64_t>(Number(p, "low")),
                                             static_cast<int64_t>(Number(p, "high"))},
                                  .records = static_cast<int64_t>(Number(p, "records")),
                                  .file = Text(p, "file"),
                                  .sha256 = Text(p, "sha256")};
      if (partition.partition < 0 || partition.partition >= 0xFFFF || partition.records < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("manifest: ", partition.topic, " has a wrong partition or count"));
      }
      if (partition.file.find("..") != std::string::npos || partition.file.empty() ||
          partition.file[0] == '/') {
        return absl::InvalidArgumentError(
            absl::StrCat("manifest: file \"", partition.file, "\" is not inside the export"));
      }
      ASSIGN_OR_RETURN(std::string sha256, FileSha256(dir + "/" + partition.file));
      if (sha256 != partition.sha256) {
        return absl::DataLossError(absl::StrCat(partition.file, ": SHA-256 ", sha256,
                                                " is not the manifest's ", partition.sha256));
      }
      partitions.push_back(std::move(partition));
    }
  }
  if (partitions.empty()) return absl::InvalidArgumentError("manifest: it lists no partition");
  return partitions;
}

absl::Status WritePartition(RdKafka::Producer& producer, const std::string& dir,
                            const ManifestPartition& partition) {
  ASSIGN_OR_RETURN(std::unique_ptr<ArchiveReader> reader,
                   ArchiveReader::Open(dir + "/" + partition.file));
  int64_t written = 0;
  for (;;) {
    ASSIGN_OR_RETURN(std::optional<ArchivedRecord> record, reader->Next());
    if (!record.has_value()) break;
    for (;;) {
      const RdKafka::ErrorCode code =
          producer.produce(partition.topic, partition.partition, RdKafka::Producer::RK_MSG_COPY,
                           record->value.has_value() ? record->value->data() : nullptr,
                           record->value.has_value() ? record->value->size() : 0,
                           record->key.data(), record->key.size(), record->timestamp_ms, nullptr);
      if (code == RdKafka::ERR_NO_ERROR) break;
      if (code != RdKafka::ERR__QUEUE_FULL) {
        return absl::UnavailableError(absl::StrCat("produce to ", partition.topic, "/",
                                                   partition.partition, ": ",
                                                   RdKafka::err2str(code)));
      }
      producer.poll(50);
    }
    ++written;
  }
  if (written != partition.records) {
    return absl::DataLossError(absl::StrCat(partition.file, ": ", written,
                                            " records, the manifest says ", partition.records));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ExportTopics(const ExportOptions& options) {
  std::error_code error;
  if (std::filesystem::exists(options.out_dir, error) &&
      !std::filesystem::is_empty(options.out_dir, error)) {
    return absl::FailedPreconditionError(absl::StrCat(options.out_dir, " is not empty"));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::KafkaConsumer> consumer,
                   Reader(options.kafka, "complaints-topics-export"));
  ASSIGN_OR_RETURN(PartitionCountMap counts, PartitionCounts(*consumer, options.timeout));
  // Every end first, then each partition up to its end.
  std::map<std::pair<std::string, int>, PartitionEnds> ends;
  for (absl::string_view name : topics::kAll) {
    const std::string topic(name);
    if (!counts.count(topic)) return absl::NotFoundError(absl::StrCat("no topic ", topic));
    for (int partition = 0; partition < counts[topic]; ++partition) {
      ASSIGN_OR_RETURN(const PartitionEnds range,
                       Ends(*consumer, topic, partition, options.timeout));
      ends[std::make_pair(topic, partition)] = range;
    }
  }
  Struct manifest;
  (*manifest.mutable_fields())["format"].set_string_value(kFormat);
  (*manifest.mutable_fields())["exported_at"].set_string_value(
      absl::FormatTime(absl::RFC3339_sec, complaints::WallNow(), absl::UTCTimeZone()));
  auto* topic_list = (*manifest.mutable_fields())["topics"].mutable_list_value();
  int64_t total = 0;
  for (absl::string_view name : topics::kAll) {
    const std::string topic(name);
    std::filesystem::create_directories(options.out_dir + "/" + topic, error);
    if (error) return absl::InternalError(absl::StrCat(options.out_dir, ": ", error.message()));
    Struct& entry = *topic_list->add_values()->mutable_struct_value();
    (*entry.mutable_fields())["name"].set_string_value(topic);
    auto* partition_list = (*entry.mutable_fields())["partitions"].mutable_list_value();
    for (int partition = 0; partition < counts[topic]; ++partition) {
      const std::string file = ArchiveName(topic, partition);
      ASSIGN_OR_RETURN(std::unique_ptr<ArchiveWriter> writer,
                       ArchiveWriter::Create(options.out_dir + "/" + file));
      const PartitionEnds& range = ends[{topic, partition}];
      RETURN_IF_ERROR(
          ExportPartition(*consumer, topic, partition, range, options.timeout, *writer));
      RETURN_IF_ERROR(writer->Finish());
      Struct& p = *partition_list->add_values()->mutable_struct_value();
      (*p.mutable_fields())["partition"].set_number_value(partition);
      (*p.mutable_fields())["low"].set_number_value(static_cast<double>(range.low));
      (*p.mutable_fields())["high"].set_number_value(static_cast<double>(range.high));
      (*p.mutable_fields())["records"].set_number_value(static_cast<double>(writer->records()));
      (*p.mutable_fields())["file"].set_string_value(file);
      (*p.mutable_fields())["sha256"].set_string_value(writer->sha256());
      total += writer->records();
      std::printf("%s/%d: %lld records (offsets %lld..%lld)\n", topic.c_str(), partition,
                  static_cast<long long>(writer->records()), static_cast<long long>(range.low),
                  static_cast<long long>(range.high));
    }
  }
  consumer->close();
  std::string json;
  google::protobuf::util::JsonPrintOptions print;
  print.add_whitespace = true;
  if (!google::protobuf::util::MessageToJsonString(manifest, &json, print).ok()) {
    return absl::InternalError("the manifest does not print");
  }
  std::ofstream out(options.out_dir + "/manifest.json", std::ios::trunc);
  out << json;
  out.close();
  if (!out)
    return absl::InternalError(absl::StrCat(options.out_dir, "/manifest.json: not written"));
  std::printf("exported %lld records of %zu topics to %s\n", static_cast<long long>(total),
              topics::kAll.size(), options.out_dir.c_str());
  return absl::OkStatus();
}

absl::Status ImportTopics(const ImportOptions& options) {
  ASSIGN_OR_RETURN(std::vector<ManifestPartition> partitions, ReadManifest(options.in_dir));
  std::map<std::string, int> counts;
  for (const ManifestPartition& p : partitions)
    counts[p.topic] = std::max(counts[p.topic], p.partition + 1);
  std::vector<absl::string_view> names;
  int count = 0;
  for (const auto& [topic, partitions_of] : counts) {
    if (count != 0 && partitions_of != count) {
      return absl::InvalidArgumentError("manifest: the topics have different partition counts");
    }
    count = partitions_of;
    names.push_back(topic);
  }
  RETURN_IF_ERROR(EnsureTopics(options.kafka, names,
                               {.partitions = count,
                                .replication_factor = options.replication_factor,
                                .min_insync_replicas = options.min_insync_replicas},
                               options.timeout));
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::KafkaConsumer> consumer,
                   Reader(options.kafka, "complaints-topics-import"));
  for (const ManifestPartition& p : partitions) {
    ASSIGN_OR_RETURN(PartitionEnds target, Ends(*consumer, p.topic, p.partition, options.timeout));
    if (target.high > 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(p.topic, "/", p.partition, " holds records (offsets up to ", target.high,
                       "): an export is restored into empty topics only"));
    }
  }
  consumer->close();
  DeliveryFailures failures;
  ASSIGN_OR_RETURN(
      std::unique_ptr<RdKafka::Conf> conf,
      MakeKafkaConf(options.kafka,
                    {{"enable.idempotence", "true"}, {"acks", "all"}, {"linger.ms", "20"}}));
  std::string error;
  if (conf->set("dr_cb", &failures, error) != RdKafka::Conf::CONF_OK) {
    return absl::InternalError(error);
  }
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), error));
  if (!producer) return absl::UnavailableError(absl::StrCat("kafka producer: ", error));
  int64_t total = 0;
  int renumbered = 0;
  for (const ManifestPartition& p : partitions) {
    RETURN_IF_ERROR(WritePartition(*producer, options.in_dir, p));
    const bool preserved = p.source.low == 0 && p.records == p.source.high;
    renumbered += preserved ? 0 : 1;
    total += p.records;
    std::printf("%s/%d: %lld records, %s\n", p.topic.c_str(), p.partition,
                static_cast<long long>(p.records),
                preserved ? "offsets as they were" : "offsets renumbered (compacted or truncated)");
  }
  if (producer->flush(TimeoutMs(options.timeout)) != RdKafka::ERR_NO_ERROR ||
      producer->outq_len() > 0) {
    return absl::DeadlineExceededError("the broker did not take every record in time");
  }
  if (failures.failures() > 0) {
    return absl::UnavailableError(
        absl::StrCat(failures.failures(), " records were refused: ", failures.first()));
  }
  std::printf("imported %lld records; %s\n", static_cast<long long>(total),
              renumbered == 0 ? "every partition kept its offsets: services may restore from "
                                "their backups"
                              : "some partitions were renumbered: rebuild the services that "
                                "read them from empty stores");
  return absl::OkStatus();
}

absl::Status MarkAuthentication(const MarkOptions& options) {
  std::error_code error;
  if (std::filesystem::exists(options.out_file, error)) {
    return absl::AlreadyExistsError(
        absl::StrCat(options.out_file, " exists: the upgrade was marked already"));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::KafkaConsumer> consumer,
                   Reader(options.kafka, "complaints-topics-mark"));
  ASSIGN_OR_RETURN(PartitionCountMap counts, PartitionCounts(*consumer, options.timeout));
  v1::UnauthenticatedRecords marked;
  for (absl::string_view name : topics::kAll) {
    const std::string topic(name);
    for (int partition = 0; partition < counts[topic]; ++partition) {
      ASSIGN_OR_RETURN(const PartitionEnds range,
                       Ends(*consumer, topic, partition, options.timeout));
      if (range.high == 0) continue;
      v1::PartitionBound& bound = *marked.add_partitions();
      bound.set_topic(topic);
      bound.set_partition(partition);
      bound.set_below_offset(range.high);
    }
  }
  std::string text;
  google::protobuf::TextFormat::PrintToString(marked, &text);
  std::ofstream out(options.out_file);
  out << "# Written by complaints-topics mark-authentication at "
      << absl::FormatTime(absl::RFC3339_sec, complaints::WallNow(), absl::UTCTimeZone())
      << ": records below these offsets were written before authentication began.\n"
      << text;
  if (!out.good()) return absl::InternalError(absl::StrCat("cannot write ", options.out_file));
  std::printf("marked %d partitions: records below their ends are read without authentication\n",
              marked.partitions_size());
  return absl::OkStatus();
}

}  // namespace complaints::topic_backup
