#pragma once
// A consumed Kafka record as the runner sees it, and where its partition's
// next offset is kept: in the service's own store, written in the same batch
// as the state the record produced (docs/architecture.md invariant 2).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "libs/store/store.h"

namespace complaints {

struct ConsumedRecord {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  std::string payload;
  bool tombstone = false;  // the record has no value (a compacted topic's erasure)
};

// The store key of a partition's next offset.
std::string OffsetKey(absl::string_view topic, int32_t partition);
// Adds "next offset = record.offset + 1" for `record` to `batch`.
void StageConsumedOffset(Batch& batch, const ConsumedRecord& record);
// The same for a batch of records, once per partition (its highest offset's):
// a write per record was a memtable insert per record for nothing.
void StageConsumedOffsets(Batch& batch, const std::vector<ConsumedRecord>& records);

}  // namespace complaints
