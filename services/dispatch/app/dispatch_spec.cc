#include "services/dispatch/app/dispatch_spec.h"

#include "complaints/v1/dispatch.pb.h"
#include "libs/complaint/input.h"
#include "libs/core/status_macros.h"
#include "libs/runner/topics.h"
#include "libs/security/access_policy.h"
#include "services/dispatch/app/open_work.h"
#include "services/dispatch/domain/assignment_changes.h"

namespace complaints::dispatch {
namespace {

constexpr size_t kMaxNameBytes = 64;  // department and handler ids

absl::StatusOr<std::string> Name(absl::string_view field, const std::string& name, bool required) {
  return CleanName(field, name, required);
}

absl::StatusOr<std::string> Reason(const std::string& reason, bool required) {
  return CleanFreeText("reason", reason, kMaxReasonChars, required);
}

// The open work, loaded once per unit; what decisions weigh handlers by.
class OpenWorkFold final : public ProjectionFold {
 public:
  OpenWorkFold(OpenWork work, const Router* router, int partitions)
      : work_(std::move(work)), router_(router), partitions_(partitions) {}
  const Workload& workload() const { return work_.total; }

  absl::Status Fold(Batch& batch, const ChangedComplaint& change) override {
    std::vector<v1::Envelope> own;
    for (const v1::Envelope& event : change.events) {
      if (event.writer() == v1::WRITER_DISPATCH) own.push_back(event);
    }
    if (own.empty() && OpenWorkOf(change.before) == OpenWorkOf(change.after)) {
      return absl::OkStatus();
    }
    FoldOpenWork(change.before, change.after, own, *router_, partitions_, work_, batch);
    return absl::OkStatus();
  }

 private:
  OpenWork work_;
  const Router* router_;
  int partitions_;
};

// §3.1 what each department's systems watch: every assignment change.
class FeedFold final : public ProjectionFold {
 public:
  explicit FeedFold(AssignmentFeed* feed) : feed_(feed) {}
  absl::Status Fold(Batch& batch, const ChangedComplaint& change) override {
    return feed_->Stage(batch, AssignmentChangesOf(change.events, change.before));
  }

 private:
  AssignmentFeed* feed_;
};

const Workload& WorkloadOf(const DecisionUnit& unit) {
  return unit.projection<OpenWorkFold>().workload();
}

}  // namespace

absl::StatusOr<std::string> CleanName(absl::string_view field, const std::string& name,
                                      bool required) {
  std::string cleaned = name;
  RETURN_IF_ERROR(CleanField(field, &cleaned, kMaxNameBytes, TextShape::kSingleLine,
                             required ? Presence::kRequired : Presence::kOptional));
  return cleaned;
}

ServiceSpec DispatchSpec(const DispatchParts& parts) {
  const google::protobuf::ServiceDescriptor* api =
      v1::AssignRequest::descriptor()->file()->FindServiceByName("DispatchService");
  const DispatchDecider* decider = parts.decider;
  ServiceSpec spec{.service = "dispatch",
                   .writer = v1::WRITER_DISPATCH,
                   .topic = std::string(topics::kDispatch),
                   .view_parts = ViewParts::kWithoutTimers};

  spec.commands.push_back(Command<v1::AssignRequest>(
      MethodOf(api, "Assign"),
      [decider](const v1::AssignRequest& request, const v1::Actor&) -> absl::StatusOr<Decision> {
        ASSIGN_OR_RETURN(std::string department, Name("department", request.department(), false));
        ASSIGN_OR_RETURN(std::string handler, Name("handler", request.handler(), false));
        ASSIGN_OR_RETURN(std::string reason,
                         Reason(request.reason(), !department.empty() || !handler.empty()));
        return [=](const v1::ComplaintView& view, const DecisionUnit& unit) {
          return decider->Decide(
              ManualAssign{request.complaint_id(), department, handler, reason, WorkloadOf(unit)},
              view);
        };
      }));
  spec.commands.push_back(Command<v1::TransferRequest>(
      MethodOf(api, "Transfer"),
      [decider](const v1::TransferRequest& request, const v1::Actor&) -> absl::StatusOr<Decision> {
        ASSIGN_OR_RETURN(std::string department,
                         Name("to_department", request.to_department(), true));
        ASSIGN_OR_RETURN(std::string handler, Name("to_handler", request.to_handler(), false));
        ASSIGN_OR_RETURN(std::string reason, Reason(request.reason(), true));
        return [=](const v1::ComplaintView& view, const DecisionUnit& unit) {
          return decider->Decide(TransferComplaint{request.complaint_id(), department, handler,
                                                   reason, WorkloadOf(unit)},
                                 view);
        };
      }));
  spec.commands.push_back(Command<v1::RejectRequest>(
      MethodOf(api, "Reject"),
      [decider](const v1::RejectRequest& request, const v1::Actor&) -> absl::StatusOr<Decision> {
        ASSIGN_OR_RETURN(std::string department, Name("department", request.department(), true));
        ASSIGN_OR_RETURN(std::string reason, Reason(request.reason(), true));
        return [=](const v1::ComplaintView& view, const DecisionUnit& unit) {
          return decider->Decide(
              RejectAssignment{request.complaint_id(), department, reason, WorkloadOf(unit)}, view);
        };
      }));
  spec.commands.push_back(Command<v1::AcceptRequest>(
      MethodOf(api, "Accept"),
      [decider](const v1::AcceptRequest& request,
                const v1::Actor& actor) -> absl::StatusOr<Decision> {
        return Decide(decider, AcceptAssignment{request.complaint_id(), actor.id()});
      }));

  // §3.1 a classified complaint (once its call-back allows) is routed.
  const RoutingModels* models = parts.models;
  spec.policies.push_back(
      {.role = "routing-policy",
       .when = [decider, models](const v1::Envelope& event, const v1::ComplaintView&,
                                 const v1::ComplaintView& view) -> std::optional<Decision> {
         std::optional<AssignComplaint> command = PolicyFor(event, view);
         if (!command) return std::nullopt;
         return [decider, models, command = *std::move(command)](const v1::ComplaintView& now,
                                                                 const DecisionUnit& unit) mutable {
           command.workload = WorkloadOf(unit);
           if (models != nullptr) command.model = models->Predict(now);
           return decider->Decide(command, now);
         };
       }});

  Store* store = parts.store;
  const Router* router = parts.router;
  spec.projections.push_back(
      {.name = "open work",
       .begin = [store, router]() -> absl::StatusOr<std::unique_ptr<ProjectionFold>> {
         ASSIGN_OR_RETURN(OpenWork work, LoadOpenWork(*store));
         return std::make_unique<OpenWorkFold>(std::move(work), router, store->partitions());
       },
       .spans_complaints = true});
  AssignmentFeed* feed = parts.feed;
  spec.projections.push_back({.name = "assignment feed",
                              .begin = [feed]() -> absl::StatusOr<std::unique_ptr<ProjectionFold>> {
                                return std::make_unique<FeedFold>(feed);
                              }});

  // §4.2 a handler acts only on what they or their department hold.
  spec.admit = CheckHoldingOf;
  return spec;
}

}  // namespace complaints::dispatch
