#include "services/dispatch/app/dispatch_app.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/core/status_macros.h"
#include "libs/runner/consumed_batch.h"
#include "libs/runner/topics.h"

namespace complaints::dispatch {
namespace {

// The open-work projection lives in the counts family under these prefixes.
constexpr char kOpenPrefix[] = "workload/open/";
constexpr char kTurnPrefix[] = "workload/turn/";

absl::StatusOr<Workload> LoadWorkload(const Store& store) {
  Workload workload;
  bool corrupt = false;
  RETURN_IF_ERROR(store.Scan(Family::kCounts, "workload/", "workload0", SIZE_MAX,
                             [&](absl::string_view key, absl::string_view value) {
                               int64_t number = 0;
                               if (!absl::SimpleAtoi(value, &number)) corrupt = true;
                               if (absl::ConsumePrefix(&key, kOpenPrefix)) {
                                 workload.open[std::string(key)] = static_cast<int>(number);
                               } else if (absl::ConsumePrefix(&key, kTurnPrefix)) {
                                 workload.turns[std::string(key)] = number;
                               }
                               return true;
                             }));
  if (corrupt) return absl::DataLossError("the stored open-work projection is corrupt");
  return workload;
}

void StageWorkload(const Workload& workload, Batch& batch) {
  for (const auto& [handler, open] : workload.open) {
    batch.Put(Family::kCounts, absl::StrCat(kOpenPrefix, handler), absl::StrCat(open));
  }
  for (const auto& [department, turn] : workload.turns) {
    batch.Put(Family::kCounts, absl::StrCat(kTurnPrefix, department), absl::StrCat(turn));
  }
}

}  // namespace

DispatchApp::DispatchApp(DispatchAppOptions options)
    : options_(options),
      decider_(options.router),
      applier_({.self = v1::WRITER_DISPATCH,
                .store = options.store,
                .outbox = options.outbox,
                .dead_letters = options.dead_letters,
                .clock = options.clock,
                .timeline = Timeline::kSkip,
                .park_timeout = options.park_timeout},
               [this] { return BatchReaction(); }) {}

absl::StatusOr<Reaction> DispatchApp::BatchReaction() const {
  v1::Actor actor;
  actor.set_id("dispatch");
  actor.set_role("routing-policy");
  ASSIGN_OR_RETURN(Workload loaded, LoadWorkload(*options_.store));
  auto workload = std::make_shared<Workload>(std::move(loaded));
  return Reaction([this, actor, workload](UnitOfWork& unit, const v1::Envelope& event,
                                          const v1::ComplaintView&, const v1::ComplaintView&,
                                          absl::Time now) -> absl::Status {
    if (event.writer() == v1::WRITER_DISPATCH) {
      // Its own event read back (a rebuild): the open-work projection folds it.
      UpdateWorkload({event}, *options_.router, *workload);
      StageWorkload(*workload, unit.batch());
      return absl::OkStatus();
    }
    std::optional<AssignComplaint> command = PolicyFor(event);
    if (!command) return absl::OkStatus();
    command->workload = *workload;
    const EventContext context{now, now, actor, event.event_id()};
    ASSIGN_OR_RETURN(std::vector<v1::Envelope> decided,
                     RunDecider(unit, decider_, *command, command->complaint_id,
                                v1::WRITER_DISPATCH, topics::kDispatch, context));
    UpdateWorkload(decided, *options_.router, *workload);
    StageWorkload(*workload, unit.batch());
    return absl::OkStatus();
  });
}

}  // namespace complaints::dispatch
