#include "services/dispatch/app/dispatch_app.h"

#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/runner/consumed_batch.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/staff_commands.h"
#include "libs/runner/topics.h"
#include "services/dispatch/app/open_work.h"
#include "services/dispatch/domain/assignment_changes.h"

namespace complaints::dispatch {

DispatchApp::DispatchApp(DispatchAppOptions options)
    : options_(options),
      decider_(options.router),
      kinds_(StaffKinds({"Assign", "Transfer", "Reject", "Accept"})),
      runner_({.store = options.parts.store,
               .outbox = options.parts.outbox,
               .clock = options.parts.clock,
               .key_retention = options.key_retention,
               .kinds = kinds_,
               .gate = options.parts.gate,
               .exclusive = true}),
      feed_(std::make_unique<AssignmentFeed>(options.parts.store, options.parts.clock)),
      applier_(ApplierFor(options.parts, v1::WRITER_DISPATCH, Timeline::kSkip),
               [this] { return BatchReaction(); }) {}

absl::StatusOr<Reaction> DispatchApp::BatchReaction() const {
  const v1::Actor actor = ServiceActor("dispatch", "routing-policy");
  ASSIGN_OR_RETURN(OpenWork loaded, LoadOpenWork(*options_.parts.store));
  auto work = std::make_shared<OpenWork>(std::move(loaded));
  const int partitions = options_.parts.store->partitions();
  return Reaction([this, actor, work, partitions](
                      UnitOfWork& unit, const v1::Envelope& event, const v1::ComplaintView& before,
                      const v1::ComplaintView& applied, absl::Time now) -> absl::Status {
    // The open-work projection folds every writer's events (its own read
    // back, tracking's resolutions); only intake's classification decides.
    std::vector<v1::Envelope> own;
    if (event.writer() == v1::WRITER_DISPATCH) {
      own.push_back(event);
    } else if (std::optional<AssignComplaint> command = PolicyFor(event, applied)) {
      command->workload = work->total;
      if (options_.models != nullptr) command->model = options_.models->Predict(applied);
      const EventContext context{now, now, actor, event.event_id()};
      ASSIGN_OR_RETURN(own, RunDecider(unit, decider_, *command, command->complaint_id,
                                       v1::WRITER_DISPATCH, topics::kDispatch, context));
    }
    std::vector<v1::AssignmentChange> changes = AssignmentChangesOf(event, before);
    if (event.writer() != v1::WRITER_DISPATCH) {
      for (v1::AssignmentChange& change : AssignmentChangesOf(own, applied)) {
        changes.push_back(std::move(change));
      }
    }
    RETURN_IF_ERROR(feed_->Stage(unit.batch(), changes));
    ASSIGN_OR_RETURN(const v1::ComplaintView after, unit.View(event.complaint_id()));
    if (own.empty() && OpenWorkOf(before) == OpenWorkOf(after)) return absl::OkStatus();
    FoldOpenWork(before, after, own, *options_.router, partitions, *work, unit.batch());
    return absl::OkStatus();
  });
}

}  // namespace complaints::dispatch
