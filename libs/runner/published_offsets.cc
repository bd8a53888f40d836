#include "libs/runner/published_offsets.h"

namespace complaints {

void PublishedOffsets::Published(absl::string_view topic, int32_t partition, int64_t offset) {
  if (topic != topic_) return;
  absl::MutexLock lock(&mu_);
  std::deque<int64_t>& offsets = offsets_[partition];
  // A rewound relay may be acknowledged out of order: keep the list ascending.
  if (!offsets.empty() && offsets.back() >= offset) return;
  offsets.push_back(offset);
  if (offsets.size() > kMaxPerPartition) offsets.pop_front();
}

bool PublishedOffsets::Take(absl::string_view topic, int32_t partition, int64_t offset) {
  if (topic != topic_) return false;
  absl::MutexLock lock(&mu_);
  auto it = offsets_.find(partition);
  if (it == offsets_.end()) return false;
  std::deque<int64_t>& offsets = it->second;
  while (!offsets.empty() && offsets.front() < offset) offsets.pop_front();
  if (offsets.empty() || offsets.front() != offset) return false;
  offsets.pop_front();
  return true;
}

}  // namespace complaints
