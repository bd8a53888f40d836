#include "libs/runner/records.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace complaints {

std::string OffsetKey(absl::string_view topic, int32_t partition) {
  return absl::StrCat(topic, "/", partition);
}

void StageConsumedOffset(Batch& batch, const ConsumedRecord& record) {
  batch.Put(Family::kOffsets, OffsetKey(record.topic, record.partition),
            absl::StrCat(record.offset + 1));
}

void StageConsumedOffsets(Batch& batch, const std::vector<ConsumedRecord>& records) {
  std::vector<const ConsumedRecord*> last;  // per partition; a batch spans a few
  for (const ConsumedRecord& record : records) {
    auto same = std::find_if(last.begin(), last.end(), [&](const ConsumedRecord* seen) {
      return seen->partition == record.partition && seen->topic == record.topic;
    });
    if (same == last.end()) {
      last.push_back(&record);
    } else if (record.offset > (*same)->offset) {
      *same = &record;
    }
  }
  for (const ConsumedRecord* record : last) StageConsumedOffset(batch, *record);
}

}  // namespace complaints
