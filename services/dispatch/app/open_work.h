#pragma once
// The open-work projection as the dispatch shell stores it: per handler the
// complaints open with them, per department the round-robin turn, each
// partition's share under its prefix in the counts family.

#include <map>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/store/store.h"
#include "services/dispatch/domain/dispatch_decider.h"

namespace complaints::dispatch {

struct OpenWork {
  Workload total;  // what decisions use: the sum of the shares
  std::map<int32_t, Workload> by_partition;
};

absl::StatusOr<OpenWork> LoadOpenWork(const Store& store);

// Folds one complaint's move from `before` to `after` (dispatch's own
// `events` among it) into `work` and stages the changed share in `batch`.
void FoldOpenWork(const v1::ComplaintView& before, const v1::ComplaintView& after,
                  const std::vector<v1::Envelope>& events, const Router& router, int partitions,
                  OpenWork& work, Batch& batch);

}  // namespace complaints::dispatch
