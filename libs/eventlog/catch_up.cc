// EventConsumer::CatchUp: topics read to their ends outside the consumer
// group, several at once merged in time order (TimeOrderedMerge).
#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/eventlog/consumer.h"
#include "libs/eventlog/consumer_reading.h"
#include "libs/eventlog/time_merge.h"

namespace complaints {
namespace {

// Catching up, records come as fast as the broker serves them, and the
// queue fills to queued.max.messages.kbytes. librdkafka 2.0 (Debian 12's)
// then stops fetching for up to a second (see kStallBeforeNudge). At
// 8 MiB per partition, services replaying intake's topic (39,000 records of
// 825 bytes, 13,000 complaints) emptied the six queues and waited 0.7-1.7 s
// of a 1.2-2.4 s replay; at 16 MiB still 0.4-0.75 s (librdkafka counts more
// against the limit than the payloads), at 32 MiB 30-40 ms. It is held only
// while a catch-up runs, and fills when the applier is slower than the
// broker. It stays sized by one topic's partitions when several topics are
// read together: dividing it among 18 partitions (three topics) made
// single partitions stall for 0.35-0.75 s while the others' records waited
// in the merge for theirs (librdkafka counts the limit against the
// whole consumer's queue). Peak RSS during a
// replay: 108-149 MiB at 13,000 complaints (the same from 8 to 64 MiB a
// partition), 201-241 MiB at 60,000 (bench/README.md).
constexpr int kCatchUpReadAheadKiB = 192 * 1024;

int CatchUpQueueKiB(int partitions) {
  return std::max(8 * 1024, kCatchUpReadAheadKiB / std::max(partitions, 1));
}

// Records a catch-up's merge holds beyond librdkafka's read-ahead while a
// topic waits for the others to reach its records' times (TimeOrderedMerge).
// Fetches fill partition by partition by bytes, and a topic's records per
// complaint differ in size (intake 2.5 KB a complaint, analytics 0.5), so
// without a pause the smaller ones ran ahead in time: the merge filled to
// its cap and handed on half of analytics' replay early, out of order.
// A partition holding more than kCatchUpPauseBytes waiting is paused (a
// fetch brings up to 1 MiB of it).
constexpr size_t kCatchUpMergeBytes = 32 << 20;
constexpr size_t kCatchUpPauseBytes = 2 << 20;

// librdkafka 2.0 checks queued.max.messages.kbytes (and queued.min.messages)
// against the consumer's whole queue, which every partition's fetch queue
// forwards to: once it is full no partition is fetchable, no fetch is out,
// and the broker thread sleeps for up to a second before it looks again,
// however soon the applier empties the queue. Catching up 62,000 complaints,
// services waited for records 40-70 % of the time. A catch-up that has
// waited kStallBeforeNudge for a record nudges the brokers: it asks each
// partition's end offset, a request whose op wakes that partition's broker
// thread, which then finds the queue empty and fetches. Nothing is paused,
// purged or fetched again. The nudges back off (doubling) while nothing
// comes, so a broker that is merely slow is asked little.
constexpr absl::Duration kStallBeforeNudge = absl::Milliseconds(50);
constexpr absl::Duration kLongestNudgeInterval = absl::Milliseconds(800);

// Pauses and resumes a catch-up's partitions as its merge asks. A resume
// that fails is tried again with the next changes: a partition left paused
// would never reach its end.
class PartitionFlow {
 public:
  PartitionFlow(RdKafka::KafkaConsumer* consumer,
                const std::vector<RdKafka::TopicPartition*>& assigned)
      : consumer_(consumer) {
    for (const RdKafka::TopicPartition* partition : assigned) {
      assigned_.push_back({partition->topic(), partition->partition()});
    }
  }

  void Apply(TimeOrderedMerge::FlowChanges changes) {
    Change(changes.pause, /*pause=*/true);
    for (const TimeOrderedMerge::Partition& partition : changes.pause) {
      held_.insert({partition.topic, partition.partition});
    }
    for (const TimeOrderedMerge::Partition& partition : changes.resume) {
      held_.erase({partition.topic, partition.partition});
    }
    unresumed_.insert(unresumed_.end(), changes.resume.begin(), changes.resume.end());
    if (!unresumed_.empty() && Change(unresumed_, /*pause=*/false)) unresumed_.clear();
  }

  // Asks the end offset of every partition the merge does not hold paused
  // (see kStallBeforeNudge), each for at most kNudgeTimeoutMs, so that a
  // broker that is down delays a stop by little. Returns how many were asked.
  size_t Nudge(const std::atomic<bool>& stop) {
    constexpr int kNudgeTimeoutMs = 100;
    size_t asked = 0;
    for (const TimeOrderedMerge::Partition& partition : assigned_) {
      if (stop.load()) break;
      if (held_.count({partition.topic, partition.partition}) > 0) continue;
      int64_t low = 0, high = 0;
      consumer_->query_watermark_offsets(partition.topic, partition.partition, &low, &high,
                                         kNudgeTimeoutMs);
      ++asked;
    }
    return asked;
  }

 private:
  bool Change(const std::vector<TimeOrderedMerge::Partition>& partitions, bool pause) {
    if (partitions.empty()) return true;
    std::vector<RdKafka::TopicPartition*> list;
    for (const TimeOrderedMerge::Partition& partition : partitions) {
      list.push_back(RdKafka::TopicPartition::create(partition.topic, partition.partition));
    }
    const RdKafka::ErrorCode code = pause ? consumer_->pause(list) : consumer_->resume(list);
    RdKafka::TopicPartition::destroy(list);
    if (code == RdKafka::ERR_NO_ERROR) return true;
    log::Warn("consumer: {} of {} partitions failed while catching up: {}",
              pause ? "pause" : "resume", partitions.size(), RdKafka::err2str(code));
    return false;
  }

  RdKafka::KafkaConsumer* consumer_;
  std::vector<TimeOrderedMerge::Partition> assigned_;
  std::set<std::pair<std::string, int32_t>> held_;  // paused by the merge
  std::vector<TimeOrderedMerge::Partition> unresumed_;
};

struct PartitionToRead {
  int32_t id = 0;
  int64_t next = 0;  // the stored next offset, or OFFSET_BEGINNING
  int64_t end = 0;   // the end it has now
  uint64_t lag = 0;
};

// The partitions of `topic` with records past the offsets `store` holds.
absl::StatusOr<std::vector<PartitionToRead>> PartitionsToRead(RdKafka::KafkaConsumer* consumer,
                                                              Store* store,
                                                              const std::string& topic) {
  std::string error;
  std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(consumer, topic, nullptr, error));
  if (!handle) return absl::InternalError(absl::StrCat("kafka topic ", topic, ": ", error));
  RdKafka::Metadata* raw = nullptr;
  if (consumer->metadata(false, handle.get(), &raw, 5000) != RdKafka::ERR_NO_ERROR ||
      raw == nullptr) {
    return absl::UnavailableError(absl::StrCat("kafka: no metadata for ", topic));
  }
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  std::vector<PartitionToRead> partitions;
  for (const RdKafka::TopicMetadata* described : *metadata->topics()) {
    if (described->topic() != topic) continue;
    for (const RdKafka::PartitionMetadata* partition : *described->partitions()) {
      int64_t low = 0, high = 0;
      if (consumer->query_watermark_offsets(topic, partition->id(), &low, &high, 5000) !=
          RdKafka::ERR_NO_ERROR) {
        return absl::UnavailableError(
            absl::StrCat("kafka: no end offset for ", topic, "/", partition->id()));
      }
      ASSIGN_OR_RETURN(std::optional<std::string> stored,
                       store->Get(Family::kOffsets, OffsetKey(topic, partition->id())));
      int64_t next = 0;
      if (stored.has_value() && !absl::SimpleAtoi(*stored, &next)) {
        return absl::DataLossError(absl::StrCat("stored offset of ", topic, "/", partition->id()));
      }
      if (next >= high) continue;
      partitions.push_back({.id = partition->id(),
                            .next = stored.has_value() ? next : RdKafka::Topic::OFFSET_BEGINNING,
                            .end = high,
                            .lag = static_cast<uint64_t>(high - next)});
    }
  }
  return partitions;
}

}  // namespace

absl::StatusOr<EventConsumer::CatchUpResult> EventConsumer::CatchUp(
    const ConsumerOptions& options, Store* store, const std::vector<std::string>& topics,
    const Handler& handler, const std::atomic<bool>& stop, uint64_t min_lag) {
  std::map<std::string, std::string> properties = {{"group.id", options.group_id + "-catch-up"},
                                                   {"enable.auto.commit", "false"},
                                                   {"enable.auto.offset.store", "false"},
                                                   {"isolation.level", "read_committed"}};
  properties.insert(std::begin(kReadAhead), std::end(kReadAhead));
  properties["queued.max.messages.kbytes"] =
      std::to_string(options.catch_up_read_ahead_kib > 0 ? options.catch_up_read_ahead_kib
                                                         : CatchUpQueueKiB(store->partitions()));
  ASSIGN_OR_RETURN(std::unique_ptr<RdKafka::Conf> conf, MakeKafkaConf(options.kafka, properties));
  std::string error;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) return absl::InternalError(absl::StrCat("kafka consumer: ", error));
  std::map<std::pair<std::string, int32_t>, int64_t> end;  // partitions still to read, their ends
  std::vector<RdKafka::TopicPartition*> assignment;
  absl::Cleanup destroy = [&assignment] { RdKafka::TopicPartition::destroy(assignment); };
  TimeOrderedMerge merge(kCatchUpMergeBytes, kCatchUpPauseBytes);
  for (const std::string& topic : topics) {
    ASSIGN_OR_RETURN(std::vector<PartitionToRead> partitions,
                     PartitionsToRead(consumer.get(), store, topic));
    uint64_t lag = 0;
    for (const PartitionToRead& partition : partitions) lag += partition.lag;
    if (partitions.empty() || lag < min_lag) continue;
    for (const PartitionToRead& partition : partitions) {
      end[{topic, partition.id}] = partition.end;
      merge.Open(topic, partition.id);
      assignment.push_back(RdKafka::TopicPartition::create(topic, partition.id, partition.next));
    }
  }
  CatchUpResult result;
  if (!assignment.empty()) {
    consumer->assign(assignment);
    PartitionFlow flow(consumer.get(), assignment);
    Stopwatch since_record(options.monotonic);
    Stopwatch since_nudge(options.monotonic);
    absl::Duration nudge_interval = kStallBeforeNudge;
    while (!merge.done()) {
      if (stop.load()) return absl::CancelledError("stopping");
      std::vector<ConsumedRecord> records;
      const Stopwatch waiting(options.monotonic);
      while (records.size() < options.max_batch && !merge.done()) {
        merge.Release(options.max_batch - records.size(), &records);
        flow.Apply(merge.TakeFlowChanges());
        if (records.size() >= options.max_batch || merge.done()) break;
        // Wait only while nothing can go out: a batch is not held back for
        // a record that has not come yet.
        std::unique_ptr<RdKafka::Message> message(consumer->consume(
            records.empty() ? static_cast<int>(absl::ToInt64Milliseconds(kStallBeforeNudge)) : 0));
        if (message->err() != RdKafka::ERR_NO_ERROR) {
          if (records.empty() && !stop.load()) {
            if (since_record.Elapsed() >= kStallBeforeNudge &&
                since_nudge.Elapsed() >= nudge_interval) {
              result.nudges += flow.Nudge(stop) > 0 ? 1 : 0;
              since_nudge.Restart();
              nudge_interval = std::min(nudge_interval * 2, kLongestNudgeInterval);
            }
            continue;
          }
          break;
        }
        since_record.Restart();
        nudge_interval = kStallBeforeNudge;
        ConsumedRecord record = RecordOf(*message);
        const auto ends = end.find({record.topic, record.partition});
        const bool last = ends != end.end() && record.offset + 1 >= ends->second;
        const std::string topic = last ? record.topic : std::string();
        const int32_t partition = record.partition;
        merge.Add(std::move(record), message->timestamp().timestamp);
        if (last) merge.End(topic, partition);
        flow.Apply(merge.TakeFlowChanges());
      }
      result.waited += waiting.Elapsed();
      if (records.empty()) continue;
      RETURN_IF_ERROR(handler(records));
      result.records += records.size();
      for (const ConsumedRecord& record : records) ++result.records_by_topic[record.topic];
    }
    consumer->unassign();
  }
  result.released_early = merge.released_early();
  result.peak_merge_bytes = merge.peak_buffered_bytes();
  consumer->close();
  return result;
}

}  // namespace complaints
