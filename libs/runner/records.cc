#include "libs/runner/records.h"

#include "absl/strings/str_cat.h"

namespace complaints {

std::string OffsetKey(absl::string_view topic, int32_t partition) {
  return absl::StrCat(topic, "/", partition);
}

void StageConsumedOffset(Batch& batch, const ConsumedRecord& record) {
  batch.Put(Family::kOffsets, OffsetKey(record.topic, record.partition),
            absl::StrCat(record.offset + 1));
}

}  // namespace complaints
