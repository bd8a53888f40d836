#pragma once
// Records read from several partitions at once, handed on in the order they
// were written (their Kafka timestamps), as one stream would have held them.
// A replay reads a service's input topics together this way: a complaint's
// records of every topic arrive close together, so its view is loaded and
// written once for all of them instead of once per topic (bench/README.md),
// and its receipt still comes before what other writers said about it
// (each writer published after it read what it answered).
//
// A record goes out only when no partition still being read could hold an
// earlier one: every such partition has a record waiting. A partition
// whose waiting records pass `pause_bytes` is to be paused (its topic is
// ahead in time: the reader's fetches should go to the others) and resumed
// once under half of that (TakeFlowChanges). Past `max_buffered_bytes` the
// earliest waiting record goes out regardless, so memory stays bounded
// whatever the reader does; the consumer's parking (docs/architecture.md)
// takes what then comes early. Pure logic: no Kafka.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "libs/runner/records.h"

namespace complaints {

class TimeOrderedMerge {
 public:
  TimeOrderedMerge(size_t max_buffered_bytes, size_t pause_bytes)
      : max_buffered_bytes_(max_buffered_bytes), pause_bytes_(pause_bytes) {}

  // A partition with records still to come. On equal timestamps the
  // partition opened first goes first (open them in the pipeline's order).
  void Open(const std::string& topic, int32_t partition);
  // A record of an opened partition, after those added before it. One at
  // or before an offset added already is dropped (a partition resumed may
  // be read again from an earlier offset); returns whether it was added.
  bool Add(ConsumedRecord record, int64_t timestamp_ms);
  // No more records will come from this partition.
  void End(const std::string& topic, int32_t partition);

  // Appends to `out` up to `max` records that may go out now, earliest
  // first. Returns how many.
  size_t Release(size_t max, std::vector<ConsumedRecord>* out);

  // The partitions whose reading should stop, and those that may go on,
  // since the last call (each change reported once).
  struct Partition {
    std::string topic;
    int32_t partition = 0;
  };
  struct FlowChanges {
    std::vector<Partition> pause;
    std::vector<Partition> resume;
  };
  FlowChanges TakeFlowChanges();

  // Every partition ended and everything released.
  bool done() const;
  size_t buffered_bytes() const { return buffered_bytes_; }
  // Records handed on past the cap, before every partition had one waiting.
  uint64_t released_early() const { return released_early_; }
  size_t peak_buffered_bytes() const { return peak_buffered_bytes_; }

 private:
  struct Waiting {
    ConsumedRecord record;
    int64_t timestamp_ms = 0;
  };
  struct Source {
    std::string topic;
    int32_t partition = 0;
    bool ended = false;
    bool paused = false;
    int64_t next_offset = 0;  // past the last record added
    size_t bytes = 0;         // of the records waiting
    std::deque<Waiting> waiting;
  };
  Source* Find(const std::string& topic, int32_t partition);
  // The source whose first waiting record is the earliest; nullptr when
  // none may go out yet. `early`: it goes out only because of the cap.
  Source* Next(bool* early);

  size_t max_buffered_bytes_;
  size_t pause_bytes_;
  FlowChanges changes_;
  size_t buffered_bytes_ = 0;
  size_t peak_buffered_bytes_ = 0;
  uint64_t released_early_ = 0;
  std::vector<Source> sources_;
};

}  // namespace complaints
