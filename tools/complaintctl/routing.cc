#include "tools/complaintctl/routing.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "complaints/v1/dispatch.grpc.pb.h"
#include "libs/core/time_util.h"
#include "tools/complaintctl/when.h"

namespace complaints::ctl {
namespace {

constexpr char kUsage[] =
    "usage: complaintctl routing train [--until T] [--activate]\n"
    "       complaintctl routing models\n"
    "       complaintctl routing activate VERSION\n"
    "       complaintctl routing off\n"
    "       complaintctl routing backtest --train_until T [--test_from T]\n"
    "  T: YYYY-MM-DD (00:00 UTC) or an RFC 3339 time\n";

// "YYYY-MM-DD" (UTC midnight) or RFC 3339; false for anything else.
// A time flag (when.h), in the zone dispatch runs with; the reason on stderr.
bool TimeFlag(const CtlOptions& options, absl::string_view flag, const std::string& text,
              absl::Time* time) {
  absl::StatusOr<absl::Time> parsed =
      ParseWhen(flag, text, CentreZoneOf(options, options.dispatch));
  if (!parsed.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(parsed.status().message()).c_str());
    return false;
  }
  *time = *parsed;
  return true;
}

std::string ModelLine(const v1::RoutingModel& model) {
  return absl::StrFormat(
      "%s%s  trained %s on %d cases opened before %s  %d departments, %d teams  held-out "
      "accuracy %.1f %%  %d KB",
      model.version(), model.active() ? " (active)" : "",
      absl::FormatTime("%Y-%m-%d %H:%M", FromProto(model.trained_at()), absl::UTCTimeZone()),
      model.cases(),
      absl::FormatTime("%Y-%m-%d", FromProto(model.opened_before()), absl::UTCTimeZone()),
      model.departments(), model.teams(), 100 * model.calibration_accuracy(), model.bytes() / 1024);
}

}  // namespace

std::string FormatBacktest(const v1::BacktestRoutingResponse& response) {
  std::string text = absl::StrFormat("trained on %d closed cases, tested on %d\n\n",
                                     response.train_cases(), response.test_cases());
  absl::StrAppendFormat(&text, "%-24s %12s %8s\n", "method", "department", "team");
  for (const v1::RouteAccuracy& method : response.methods()) {
    absl::StrAppendFormat(&text, "%-24s %11.1f%% %7s\n", method.method(), 100 * method.department(),
                          method.method() == "configured rules"
                              ? "-"
                              : absl::StrFormat("%.1f%%", 100 * method.team()));
  }
  absl::StrAppend(&text, "\nconfidence at least   coverage   accuracy\n");
  for (const v1::ThresholdPoint& point : response.thresholds()) {
    absl::StrAppendFormat(&text, "%19.2f %9.1f%% %9.1f%%\n", point.threshold(),
                          100 * point.coverage(), 100 * point.accuracy());
  }
  absl::StrAppend(&text,
                  "\ndepartment (by the model)           cases  right  most often instead\n");
  for (const v1::DepartmentConfusion& row : response.confusion()) {
    absl::StrAppendFormat(&text, "%-34.34s %6d %5.0f%%  %s\n", row.department(), row.cases(),
                          row.cases() == 0 ? 0.0 : 100.0 * row.correct() / row.cases(),
                          row.confused() == 0
                              ? std::string("-")
                              : absl::StrFormat("%s (%d)", row.confused_with(), row.confused()));
  }
  absl::StrAppendFormat(&text, "\nthe model's time per case: %.0f µs\n", response.predict_micros());
  return text;
}

int Routing(const CtlOptions& options, const RoutingArgs& args) {
  auto usage = [] {
    std::fprintf(stderr, "%s", kUsage);
    return 2;
  };
  if (args.verb == "train") {
    v1::TrainRoutingModelRequest request;
    if (!args.until.empty()) {
      absl::Time until;
      if (!TimeFlag(options, "--until", args.until, &until)) return 2;
      *request.mutable_opened_before() = ToProto(until);
    }
    request.set_activate(args.activate);
    v1::TrainRoutingModelResponse response;
    // Training reads every closed case and fits two classifiers: minutes on a large history.
    v1::DispatchService::Stub stub(Channel(options, options.dispatch));
    grpc::ClientContext context;
    Prepare(context, options, absl::Minutes(10));
    const grpc::Status status = stub.TrainRoutingModel(&context, request, &response);
    if (!status.ok()) return Failed(status);
    return Print(options, response, ModelLine(response.model()));
  }
  if (args.verb == "models") {
    v1::ListRoutingModelsResponse response;
    const grpc::Status status =
        Call(options, options.dispatch, &v1::DispatchService::Stub::ListRoutingModels,
             v1::ListRoutingModelsRequest(), &response);
    if (!status.ok()) return Failed(status);
    std::string text;
    for (const v1::RoutingModel& model : response.models())
      absl::StrAppend(&text, ModelLine(model), "\n");
    if (text.empty()) text = "no routing models\n";
    text.pop_back();
    return Print(options, response, text);
  }
  if (args.verb == "activate" || args.verb == "off") {
    if ((args.verb == "activate") == args.version.empty()) return usage();
    v1::ActivateRoutingModelRequest request;
    request.set_version(args.version);
    v1::ActivateRoutingModelResponse response;
    const grpc::Status status =
        Call(options, options.dispatch, &v1::DispatchService::Stub::ActivateRoutingModel, request,
             &response);
    if (!status.ok()) return Failed(status);
    return Print(options, response,
                 args.version.empty() ? "learned routing off: the rules route"
                                      : ModelLine(response.model()));
  }
  if (args.verb == "backtest") {
    v1::BacktestRoutingRequest request;
    absl::Time until, from;
    if (args.until.empty()) return usage();
    if (!TimeFlag(options, "--train_until", args.until, &until)) return 2;
    *request.mutable_train_until() = ToProto(until);
    if (!args.from.empty()) {
      if (!TimeFlag(options, "--test_from", args.from, &from)) return 2;
      *request.mutable_test_from() = ToProto(from);
    }
    v1::BacktestRoutingResponse response;
    v1::DispatchService::Stub stub(Channel(options, options.dispatch));
    grpc::ClientContext context;
    Prepare(context, options, absl::Minutes(10));
    const grpc::Status status = stub.BacktestRouting(&context, request, &response);
    if (!status.ok()) return Failed(status);
    return Print(options, response, FormatBacktest(response));
  }
  return usage();
}

}  // namespace complaints::ctl
