#include "libs/eventlog/time_merge.h"

#include <algorithm>

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

bool TimeOrderedMerge::Add(ConsumedRecord record, int64_t timestamp_ms) {
  Source* source = Find(record.topic, record.partition);
  if (source == nullptr) {
    // Not opened (librdkafka delivered a partition we did not ask for):
    // handed on as it is, in its own order.
    Open(record.topic, record.partition);
    source = &sources_.back();
  }
  if (record.offset < source->next_offset) return false;
  source->next_offset = record.offset + 1;
  const size_t bytes = BytesOf(record);
  buffered_bytes_ += bytes;
  peak_buffered_bytes_ = std::max(peak_buffered_bytes_, buffered_bytes_);
  source->bytes += bytes;
  if (!source->paused && source->bytes > pause_bytes_) {
    source->paused = true;
    changes_.pause.push_back({source->topic, source->partition});
  }
  source->waiting.push_back({std::move(record), timestamp_ms});
  return true;
}

void TimeOrderedMerge::End(const std::string& topic, int32_t partition) {
  if (Source* source = Find(topic, partition)) source->ended = true;
}

size_t TimeOrderedMerge::Release(size_t max, std::vector<ConsumedRecord>* out) {
  size_t released = 0;
  while (released < max) {
    bool early = false;
    Source* source = Next(&early);
    if (source == nullptr) break;
    if (early) ++released_early_;
    const size_t bytes = BytesOf(source->waiting.front().record);
    buffered_bytes_ -= bytes;
    source->bytes -= bytes;
    if (source->paused && source->bytes < pause_bytes_ / 2) {
      source->paused = false;
      changes_.resume.push_back({source->topic, source->partition});
    }
    out->push_back(std::move(source->waiting.front().record));
    source->waiting.pop_front();
    ++released;
  }
  return released;
}

TimeOrderedMerge::FlowChanges TimeOrderedMerge::TakeFlowChanges() {
  FlowChanges taken = std::move(changes_);
  changes_ = {};
  return taken;
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

TimeOrderedMerge::Source* TimeOrderedMerge::Next(bool* early) {
  const bool over = buffered_bytes_ > max_buffered_bytes_;
  Source* earliest = nullptr;
  for (Source& source : sources_) {
    if (source.waiting.empty()) {
      // An open partition with nothing waiting may yet hold the earliest.
      if (source.ended) continue;
      if (!over) return nullptr;
      *early = true;
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
