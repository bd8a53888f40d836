#include "services/dispatch/app/dispatch_app.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/core/status_macros.h"
#include "libs/runner/consumed_batch.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/topics.h"

namespace complaints::dispatch {
namespace {

// The open-work projection lives in the counts family, each partition's share
// under its partition prefix (libs/runner/partitioning.h); decisions use the
// sum over all partitions.
constexpr char kOpenPrefix[] = "workload/open/";
constexpr char kTurnPrefix[] = "workload/turn/";

struct OpenWork {
  Workload total;
  std::map<int32_t, Workload> by_partition;
};

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

// Folds one complaint's move from `before` to `after` (and dispatch's own
// `events` among it) into the totals and its partition's share, and stages
// that share.
void Fold(const v1::ComplaintView& before, const v1::ComplaintView& after,
          const std::vector<v1::Envelope>& events, const Router& router, int partitions,
          OpenWork& work, Batch& batch) {
  const int32_t partition = PartitionOf(after.complaint_id(), partitions);
  Workload& share = work.by_partition[partition];
  UpdateWorkload(before, after, events, router, work.total);
  UpdateWorkload(before, after, events, router, share);
  const std::string prefix = PartitionPrefix(partition);
  for (const auto& [handler, open] : share.open) {
    batch.Put(Family::kCounts, absl::StrCat(prefix, kOpenPrefix, handler), absl::StrCat(open));
  }
  for (const auto& [department, turn] : share.turns) {
    batch.Put(Family::kCounts, absl::StrCat(prefix, kTurnPrefix, department), absl::StrCat(turn));
  }
}

}  // namespace

DispatchApp::DispatchApp(DispatchAppOptions options)
    : options_(options),
      decider_(options.router),
      applier_(ApplierFor(options.parts, v1::WRITER_DISPATCH, Timeline::kSkip),
               [this] { return BatchReaction(); }) {}

absl::StatusOr<Reaction> DispatchApp::BatchReaction() const {
  v1::Actor actor;
  actor.set_id("dispatch");
  actor.set_role("routing-policy");
  ASSIGN_OR_RETURN(OpenWork loaded, LoadOpenWork(*options_.parts.store));
  auto work = std::make_shared<OpenWork>(std::move(loaded));
  const int partitions = options_.parts.store->partitions();
  return Reaction([this, actor, work, partitions](
                      UnitOfWork& unit, const v1::Envelope& event, const v1::ComplaintView& before,
                      const v1::ComplaintView&, absl::Time now) -> absl::Status {
    // The open-work projection folds every writer's events (its own read
    // back, tracking's resolutions); only intake's classification decides.
    std::vector<v1::Envelope> own;
    if (event.writer() == v1::WRITER_DISPATCH) {
      own.push_back(event);
    } else if (std::optional<AssignComplaint> command = PolicyFor(event)) {
      command->workload = work->total;
      const EventContext context{now, now, actor, event.event_id()};
      ASSIGN_OR_RETURN(own, RunDecider(unit, decider_, *command, command->complaint_id,
                                       v1::WRITER_DISPATCH, topics::kDispatch, context));
    }
    ASSIGN_OR_RETURN(const v1::ComplaintView after, unit.View(event.complaint_id()));
    if (own.empty() && OpenWorkOf(before) == OpenWorkOf(after)) return absl::OkStatus();
    Fold(before, after, own, *options_.router, partitions, *work, unit.batch());
    return absl::OkStatus();
  });
}

}  // namespace complaints::dispatch
