#include "services/dispatch/app/open_work.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/core/status_macros.h"
#include "libs/runner/partitioning.h"

namespace complaints::dispatch {
namespace {

// The open-work projection lives in the counts family, each partition's share
// under its partition prefix (libs/runner/partitioning.h); decisions use the
// sum over all partitions.
constexpr char kOpenPrefix[] = "workload/open/";
constexpr char kTurnPrefix[] = "workload/turn/";

}  // namespace

absl::StatusOr<OpenWork> LoadOpenWork(const Store& store) {
  OpenWork work;
  bool corrupt = false;
  RETURN_IF_ERROR(store.Scan(
      Family::kCounts, "", "", SIZE_MAX, [&](absl::string_view key, absl::string_view value) {
        int32_t partition = 0;
        int64_t number = 0;
        if (!SplitPartitionKey(key, &partition, &key) || !absl::SimpleAtoi(value, &number)) {
          corrupt = true;
          return false;
        }
        Workload& share = work.by_partition[partition];
        if (absl::ConsumePrefix(&key, kOpenPrefix)) {
          share.open[std::string(key)] = static_cast<int>(number);
          work.total.open[std::string(key)] += static_cast<int>(number);
        } else if (absl::ConsumePrefix(&key, kTurnPrefix)) {
          share.turns[std::string(key)] = number;
          work.total.turns[std::string(key)] += number;
        }
        return true;
      }));
  if (corrupt) return absl::DataLossError("the stored open-work projection is corrupt");
  return work;
}

void FoldOpenWork(const v1::ComplaintView& before, const v1::ComplaintView& after,
                  const std::vector<v1::Envelope>& events, const Router& router, int partitions,
                  OpenWork& work, Batch& batch) {
  const int32_t partition = PartitionOf(after.complaint_id(), partitions);
  Workload& share = work.by_partition[partition];
  // Only the entries that change are staged: every entry of the share on
  // every event piled up versions that each batch's LoadOpenWork scan
  // stepped over (a sixth of dispatch's CPU, growing with the handlers).
  const Workload was = share;  // a count per handler, a turn per department
  UpdateWorkload(before, after, events, router, work.total);
  UpdateWorkload(before, after, events, router, share);
  const std::string prefix = PartitionPrefix(partition);
  const auto changed = [](const auto& earlier, const auto& key, const auto& value) {
    const auto it = earlier.find(key);
    return it == earlier.end() || it->second != value;
  };
  for (const auto& [handler, open] : share.open) {
    if (!changed(was.open, handler, open)) continue;
    batch.Put(Family::kCounts, absl::StrCat(prefix, kOpenPrefix, handler), absl::StrCat(open));
  }
  for (const auto& [department, turn] : share.turns) {
    if (!changed(was.turns, department, turn)) continue;
    batch.Put(Family::kCounts, absl::StrCat(prefix, kTurnPrefix, department), absl::StrCat(turn));
  }
}

}  // namespace complaints::dispatch
