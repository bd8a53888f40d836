#include "libs/eventlog/time_merge.h"

namespace complaints {
namespace {

size_t BytesOf(const ConsumedRecord& record) {
  return record.payload.size() + record.key.size() + record.topic.size();
}

}  // namespace

void TimeOrderedMerge::Open(const std::string& topic, int32_t partition) {
  if (Find(topic, partition) != nullptr) return;
  Source source;
  source.topic = topic;
  source.partition = partition;
  sources_.push_back(std::move(source));
}

void TimeOrderedMerge::Add(ConsumedRecord record, int64_t timestamp_ms) {
  Source* source = Find(record.topic, record.partition);
  if (source == nullptr) {
    // Not opened (librdkafka delivered a partition we did not ask for):
    // handed on as it is, in its own order.
    Open(record.topic, record.partition);
    source = &sources_.back();
  }
  buffered_bytes_ += BytesOf(record);
  source->waiting.push_back({std::move(record), timestamp_ms});
}

void TimeOrderedMerge::End(const std::string& topic, int32_t partition) {
  if (Source* source = Find(topic, partition)) source->ended = true;
}

size_t TimeOrderedMerge::Release(size_t max, std::vector<ConsumedRecord>* out) {
  size_t released = 0;
  while (released < max) {
    Source* source = Next();
    if (source == nullptr) break;
    buffered_bytes_ -= BytesOf(source->waiting.front().record);
    out->push_back(std::move(source->waiting.front().record));
    source->waiting.pop_front();
    ++released;
  }
  return released;
}

bool TimeOrderedMerge::done() const {
  for (const Source& source : sources_) {
    if (!source.ended || !source.waiting.empty()) return false;
  }
  return true;
}

TimeOrderedMerge::Source* TimeOrderedMerge::Find(const std::string& topic, int32_t partition) {
  for (Source& source : sources_) {
    if (source.partition == partition && source.topic == topic) return &source;
  }
  return nullptr;
}

TimeOrderedMerge::Source* TimeOrderedMerge::Next() {
  const bool over = buffered_bytes_ > max_buffered_bytes_;
  Source* earliest = nullptr;
  for (Source& source : sources_) {
    if (source.waiting.empty()) {
      // An open partition with nothing waiting may yet hold the earliest.
      if (!source.ended && !over) return nullptr;
      continue;
    }
    if (earliest == nullptr ||
        source.waiting.front().timestamp_ms < earliest->waiting.front().timestamp_ms) {
      earliest = &source;
    }
  }
  return earliest;
}

}  // namespace complaints
