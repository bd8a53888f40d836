#include "services/dispatch/app/dispatch_service.h"

#include "absl/strings/str_cat.h"
#include "complaints/v1/dispatch.grpc.pb.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"
#include "libs/security/access_policy.h"

namespace complaints::dispatch {

namespace {

// A time a routing request names; `fallback` when unset.
absl::StatusOr<absl::Time> TimeOf(absl::string_view field, bool present,
                                  const google::protobuf::Timestamp& at, absl::Time fallback) {
  if (!present) return fallback;
  if (at.seconds() < 0 || at.seconds() > kMaxTimestampSeconds || at.nanos() < 0 ||
      at.nanos() > 999'999'999) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": not a time between 1970 and 9999"));
  }
  return FromProto(at);
}

}  // namespace

DispatchService::DispatchService(DispatchApp* app, RoutingModels* models)
    : CallbackService(
          v1::AssignRequest::descriptor()->file()->FindServiceByName("DispatchService")) {
  HandleCommands(&app->commands());
  Handle<v1::TrainRoutingModelRequest, v1::TrainRoutingModelResponse>(
      "TrainRoutingModel",
      [models](const v1::TrainRoutingModelRequest& request,
               const CallInfo&) -> absl::StatusOr<v1::TrainRoutingModelResponse> {
        ASSIGN_OR_RETURN(const absl::Time before,
                         TimeOf("opened_before", request.has_opened_before(),
                                request.opened_before(), models->clock()->Now()));
        v1::TrainRoutingModelResponse response;
        ASSIGN_OR_RETURN(*response.mutable_model(), models->Train(before, request.activate()));
        return response;
      });
  Handle<v1::ListRoutingModelsRequest, v1::ListRoutingModelsResponse>(
      "ListRoutingModels",
      [models](const v1::ListRoutingModelsRequest&,
               const CallInfo&) -> absl::StatusOr<v1::ListRoutingModelsResponse> {
        ASSIGN_OR_RETURN(std::vector<v1::RoutingModel> listed, models->List());
        v1::ListRoutingModelsResponse response;
        for (v1::RoutingModel& model : listed) *response.add_models() = std::move(model);
        return response;
      });
  Handle<v1::ActivateRoutingModelRequest, v1::ActivateRoutingModelResponse>(
      "ActivateRoutingModel",
      [models](const v1::ActivateRoutingModelRequest& request,
               const CallInfo&) -> absl::StatusOr<v1::ActivateRoutingModelResponse> {
        v1::ActivateRoutingModelResponse response;
        ASSIGN_OR_RETURN(*response.mutable_model(), models->Activate(request.version()));
        return response;
      });
  Handle<v1::BacktestRoutingRequest, v1::BacktestRoutingResponse>(
      "BacktestRouting",
      [models](const v1::BacktestRoutingRequest& request,
               const CallInfo&) -> absl::StatusOr<v1::BacktestRoutingResponse> {
        if (!request.has_train_until()) return absl::InvalidArgumentError("train_until: required");
        ASSIGN_OR_RETURN(const absl::Time until, TimeOf("train_until", true, request.train_until(),
                                                        models->clock()->Now()));
        ASSIGN_OR_RETURN(const absl::Time from,
                         TimeOf("test_from", request.has_test_from(), request.test_from(), until));
        return models->Backtest(until, from);
      });
  Handle<v1::ListAssignmentsRequest, v1::ListAssignmentsResponse>(
      "ListAssignments",
      [app](v1::ListAssignmentsRequest request,
            const CallInfo& call) -> absl::StatusOr<v1::ListAssignmentsResponse> {
        ASSIGN_OR_RETURN(*request.mutable_department(),
                         ListableDepartment(call.actor, request.department()));
        return app->ListAssignments(request);
      });
  HandleStream<v1::WatchAssignmentsRequest, v1::WatchAssignmentsResponse>(
      "WatchAssignments",
      [app](v1::WatchAssignmentsRequest request, const CallInfo& call,
            const std::function<bool(const v1::WatchAssignmentsResponse&)>& write,
            StreamWriter& writer) -> absl::Status {
        ASSIGN_OR_RETURN(*request.mutable_department(),
                         ListableDepartment(call.actor, request.department()));
        return app->WatchAssignments(
            request, write, [&writer](absl::Duration wait) { return writer.WaitCancelled(wait); });
      });
}

}  // namespace complaints::dispatch
