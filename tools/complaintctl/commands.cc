#include "tools/complaintctl/commands.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "complaints/v1/admin.grpc.pb.h"
#include "complaints/v1/analytics.grpc.pb.h"
#include "complaints/v1/intake.grpc.pb.h"
#include "complaints/v1/tracking.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/core/clock.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "libs/eventlog/admin.h"
#include "libs/runner/topics.h"
#include "libs/server/health_probe.h"
#include "tools/complaintctl/format.h"
#include "tools/complaintctl/when.h"

namespace complaints::ctl {

std::string AddressOf(const CtlOptions& options, const std::string& service) {
  if (service == "intake") return options.intake;
  if (service == "dispatch") return options.dispatch;
  if (service == "tracking") return options.tracking;
  if (service == "analytics") return options.analytics;
  return "";
}

std::shared_ptr<grpc::Channel> Channel(const CtlOptions& options, const std::string& address) {
  return grpc::CreateChannel(address, options.credentials);
}

void Prepare(grpc::ClientContext& context, const CtlOptions& options, absl::Duration extra) {
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + options.timeout + extra));
  Identify(context, options);
}

void Identify(grpc::ClientContext& context, const CtlOptions& options) {
  if (!options.insecure_identity.empty()) {
    context.AddMetadata("x-insecure-identity", options.insecure_identity);
  }
}

int Failed(const grpc::Status& status) {
  std::fprintf(stderr, "error: %s: %s\n",
               absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())).c_str(),
               EscapeForTerminal(status.error_message()).c_str());
  return 1;
}

int Print(const CtlOptions& options, const google::protobuf::Message& message,
          const std::string& text) {
  if (options.json) {
    absl::StatusOr<std::string> json = ToJson(message);
    if (!json.ok()) {
      std::fprintf(stderr, "error: %s\n", json.status().ToString().c_str());
      return 1;
    }
    std::cout << *json << "\n";
  } else {
    std::cout << text;
    if (!text.empty() && text.back() != '\n') std::cout << "\n";
  }
  std::cout.flush();
  return 0;
}

int Submit(const CtlOptions& options, v1::SubmitComplaintRequest request) {
  v1::SubmitComplaintResponse response;
  const grpc::Status status =
      Call(options, options.intake, &v1::IntakeService::Stub::SubmitComplaint, request, &response);
  if (!status.ok()) return Failed(status);
  return Print(options, response, FormatSubmitted(response));
}

int Import(const CtlOptions& options, const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "error: %s: cannot be read\n", path.c_str());
    return 2;
  }
  const std::string name = path.substr(path.find_last_of('/') + 1);
  auto stub = v1::IntakeService::NewStub(Channel(options, options.intake));
  int line_number = 0, failures = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    v1::SubmitComplaintRequest request;
    if (!google::protobuf::util::JsonStringToMessage(line, &request).ok()) {
      std::fprintf(stderr, "%s:%d: not a SubmitComplaintRequest in JSON\n", path.c_str(),
                   line_number);
      ++failures;
      continue;
    }
    if (request.idempotency_key().empty()) {
      request.set_idempotency_key(absl::StrCat("import:", name, ":", line_number));
    }
    grpc::ClientContext context;
    Prepare(context, options);
    v1::SubmitComplaintResponse response;
    grpc::Status status = stub->SubmitComplaint(&context, request, &response);
    if (!status.ok()) {
      std::fprintf(stderr, "%s:%d: ", path.c_str(), line_number);
      Failed(status);
      ++failures;
      continue;
    }
    failures += Print(options, response, FormatSubmitted(response));
  }
  return failures == 0 ? 0 : 1;
}

int Audit(const CtlOptions& options, const std::string& complaint_id) {
  v1::GetAuditTrailRequest request;
  request.set_complaint_id(complaint_id);
  v1::GetAuditTrailResponse trail;
  const grpc::Status status =
      Call(options, options.tracking, &v1::TrackingService::Stub::GetAuditTrail, request, &trail);
  if (!status.ok()) return Failed(status);
  const int printed = Print(options, trail, FormatAuditTrail(trail));
  return printed != 0 ? printed : (trail.intact() ? 0 : 1);
}

int Show(const CtlOptions& options, const std::string& complaint_id, const std::string& as_of) {
  auto stub = v1::TrackingService::NewStub(Channel(options, options.tracking));
  v1::GetComplaintRequest request;
  request.set_complaint_id(complaint_id);
  if (!as_of.empty()) {
    absl::StatusOr<absl::Time> at =
        ParseWhen("--as_of", as_of, CentreZoneOf(options, options.tracking));
    if (!at.ok()) {
      std::fprintf(stderr, "error: %s\n", std::string(at.status().message()).c_str());
      return 2;
    }
    *request.mutable_as_of() = ToProto(*at);
  }
  v1::GetComplaintResponse timeline;
  // Every page, printed as one timeline.
  do {
    grpc::ClientContext page_context;
    Prepare(page_context, options);
    v1::GetComplaintResponse page;
    grpc::Status status = stub->GetComplaint(&page_context, request, &page);
    if (!status.ok()) return Failed(status);
    *timeline.mutable_view() = page.view();
    for (v1::Envelope& event : *page.mutable_events()) *timeline.add_events() = std::move(event);
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return Print(options, timeline, FormatTimeline(timeline));
}

int Counts(const CtlOptions& options, const std::string& from_day, const std::string& to_day) {
  auto stub = v1::AnalyticsService::NewStub(Channel(options, options.analytics));
  v1::GetCountsRequest request;
  request.set_from_day(from_day);
  request.set_to_day(to_day);
  v1::GetCountsResponse counts;
  do {
    grpc::ClientContext page_context;
    Prepare(page_context, options);
    v1::GetCountsResponse page;
    grpc::Status status = stub->GetCounts(&page_context, request, &page);
    if (!status.ok()) return Failed(status);
    for (v1::CountRow& row : *page.mutable_rows()) *counts.add_rows() = std::move(row);
    counts.set_total(counts.total() + page.total());
    counts.set_unreadable_rows(counts.unreadable_rows() + page.unreadable_rows());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  if (counts.unreadable_rows() > 0) {
    std::fprintf(stderr, "warning: %d stored rows could not be read (see analytics' log)\n",
                 counts.unreadable_rows());
  }
  return Print(options, counts, FormatCounts(counts));
}

int Figures(const CtlOptions& options, const std::string& from_day, const std::string& to_day,
            const std::string& by) {
  v1::GetFiguresRequest request;
  request.set_from_day(from_day);
  request.set_to_day(to_day);
  for (absl::string_view name : absl::StrSplit(by, ',', absl::SkipEmpty())) {
    v1::FigureDimension dimension;
    if (!v1::FigureDimension_Parse(absl::StrCat("FIGURE_DIMENSION_", absl::AsciiStrToUpper(name)),
                                   &dimension)) {
      std::fprintf(stderr,
                   "error: --by: day, week, month, category, community, channel, department or "
                   "handler, comma-separated\n");
      return 2;
    }
    request.add_group_by(dimension);
  }
  v1::GetFiguresResponse figures;
  const grpc::Status status =
      Call(options, options.analytics, &v1::AnalyticsService::Stub::GetFigures, request, &figures);
  if (!status.ok()) return Failed(status);
  return Print(options, figures, FormatFigures(figures));
}

int Projection(const CtlOptions& options, const std::string& series, bool weekly, int horizon,
               const std::string& origin) {
  v1::GetProjectionRequest request;
  request.set_interval(weekly ? v1::FIGURE_DIMENSION_WEEK : v1::FIGURE_DIMENSION_DAY);
  request.set_horizon(horizon);
  request.set_origin(origin);
  if (!series.empty() && series != "all") {
    const std::vector<std::string> parts = absl::StrSplit(series, absl::MaxSplits('=', 1));
    v1::FigureDimension dimension;
    if (parts.size() != 2 ||
        !v1::FigureDimension_Parse(
            absl::StrCat("FIGURE_DIMENSION_", absl::AsciiStrToUpper(parts[0])), &dimension)) {
      std::fprintf(stderr,
                   "error: SERIES: all, or category=C, department=D, community=C, channel=C\n");
      return 2;
    }
    request.set_dimension(dimension);
    request.set_value(parts[1]);
  }
  v1::GetProjectionResponse projection;
  const grpc::Status status = Call(
      options, options.analytics, &v1::AnalyticsService::Stub::GetProjection, request, &projection);
  if (!status.ok()) return Failed(status);
  return Print(options, projection, FormatProjection(projection));
}

int Reports(const CtlOptions& options, const std::string& report_id, const std::string& format) {
  if (report_id.empty()) {
    v1::ListReportsResponse reports;
    const grpc::Status status =
        Call(options, options.analytics, &v1::AnalyticsService::Stub::ListReports,
             v1::ListReportsRequest(), &reports);
    if (!status.ok()) return Failed(status);
    std::string text;
    for (const v1::Report& report : reports.reports()) {
      absl::StrAppend(&text, report.report_id(), "  ", report.from_day(), " … ", report.to_day(),
                      "\n");
    }
    return Print(options, reports, text.empty() ? "(no reports yet)\n" : text);
  }
  v1::GetReportRequest request;
  request.set_report_id(report_id);
  if (format == "markdown") {
    request.set_format(v1::REPORT_FORMAT_MARKDOWN);
  } else if (format == "html") {
    request.set_format(v1::REPORT_FORMAT_HTML);
  } else {
    std::fprintf(stderr, "error: --format: markdown or html\n");
    return 2;
  }
  v1::GetReportResponse report;
  const grpc::Status status =
      Call(options, options.analytics, &v1::AnalyticsService::Stub::GetReport, request, &report);
  if (!status.ok()) return Failed(status);
  return Print(options, report, report.rendered());
}

int Incidents(const CtlOptions& options, const std::string& community, bool open_only) {
  v1::ListIncidentsRequest request;
  request.set_community(community);
  request.set_open_only(open_only);
  v1::ListIncidentsResponse incidents;
  const grpc::Status status = Call(options, options.analytics,
                                   &v1::AnalyticsService::Stub::ListIncidents, request, &incidents);
  if (!status.ok()) return Failed(status);
  return Print(options, incidents, FormatIncidents(incidents));
}

int HotIssues(const CtlOptions& options, const std::string& community, const std::string& day) {
  v1::GetHotIssuesRequest request;
  request.set_community(community);
  request.set_day(day);
  v1::GetHotIssuesResponse hot;
  const grpc::Status status =
      Call(options, options.analytics, &v1::AnalyticsService::Stub::GetHotIssues, request, &hot);
  if (!status.ok()) return Failed(status);
  return Print(options, hot, FormatHotIssues(hot));
}

int WaitReady(const CtlOptions& options) {
  const absl::Time deadline = complaints::WallNow() + options.timeout;
  for (const auto& [name, address] : {std::pair<std::string, std::string>{"intake", options.intake},
                                      {"dispatch", options.dispatch},
                                      {"tracking", options.tracking},
                                      {"analytics", options.analytics}}) {
    if (!WaitUntilServing(address, options.credentials, deadline - complaints::WallNow(),
                          absl::Milliseconds(200))) {
      std::fprintf(stderr, "error: %s at %s is not serving\n", name.c_str(), address.c_str());
      return 1;
    }
    if (!options.json) std::printf("%-9s %s serving\n", name.c_str(), address.c_str());
  }
  return 0;
}

int EnsureTopicsCommand(const CtlOptions& options) {
  std::vector<absl::string_view> all(topics::kAll.begin(), topics::kAll.end());
  const KafkaOptions admin{.brokers = options.brokers,
                           .client_id = "complaintctl",
                           .username = options.kafka_user,
                           .password = options.kafka_password};
  absl::Status status =
      EnsureTopics(admin, all, {.partitions = options.partitions}, options.timeout);
  // With credentials (a secured broker), the single-writer ACLs too.
  if (status.ok() && !options.kafka_user.empty()) {
    status = EnsureAcls(admin, PlatformTopicAccess(), options.timeout);
  }
  if (!status.ok()) {
    std::fprintf(stderr, "error: %s\n", status.ToString().c_str());
    return 1;
  }
  for (absl::string_view topic : all) std::printf("%s\n", std::string(topic).c_str());
  return 0;
}

int Status(const CtlOptions& options, const std::string& service) {
  int failures = 0;
  for (const char* name : kServices) {
    if (!service.empty() && service != name) continue;
    auto stub = v1::AdminService::NewStub(Channel(options, AddressOf(options, name)));
    grpc::ClientContext context;
    Prepare(context, options);
    v1::GetStatusResponse response;
    grpc::Status status = stub->GetStatus(&context, {}, &response);
    if (!status.ok()) {
      std::fprintf(stderr, "%s: ", name);
      failures += Failed(status);
      continue;
    }
    failures += Print(options, response, FormatStatus(response));
  }
  if (!service.empty() && AddressOf(options, service).empty()) {
    std::fprintf(stderr, "error: unknown service %s (intake, dispatch, tracking, analytics)\n",
                 EscapedPrefix(service).c_str());
    return 2;
  }
  return failures > 0 ? 1 : 0;
}

int DeadLetters(const CtlOptions& options, const std::vector<std::string>& args) {
  const std::string verb = args.size() > 0 ? args[0] : "";
  const std::string service = args.size() > 1 ? args[1] : "";
  const std::string address = AddressOf(options, service);
  if (address.empty() || (verb != "list" && args.size() < 3)) {
    std::fprintf(stderr,
                 "usage: complaintctl dead-letters list SERVICE [--page_size N] [--page_token T]\n"
                 "       complaintctl dead-letters show|retry SERVICE ID\n");
    return 2;
  }
  auto stub = v1::AdminService::NewStub(Channel(options, address));
  grpc::ClientContext context;
  Prepare(context, options);
  if (verb == "list") {
    v1::ListDeadLettersRequest request;
    request.set_page_size(options.page_size);
    request.set_page_token(options.page_token);
    v1::ListDeadLettersResponse response;
    grpc::Status status = stub->ListDeadLetters(&context, request, &response);
    if (!status.ok()) return Failed(status);
    return Print(options, response, FormatDeadLetters(response));
  }
  if (verb == "show") {
    v1::GetDeadLetterRequest request;
    request.set_id(args[2]);
    v1::GetDeadLetterResponse response;
    grpc::Status status = stub->GetDeadLetter(&context, request, &response);
    if (!status.ok()) return Failed(status);
    return Print(options, response.dead_letter(), FormatDeadLetter(response.dead_letter()));
  }
  if (verb == "retry") {
    v1::RetryDeadLetterRequest request;
    request.set_id(args[2]);
    v1::RetryDeadLetterResponse response;
    grpc::Status status = stub->RetryDeadLetter(&context, request, &response);
    if (!status.ok()) return Failed(status);
    return Print(options, response, response.outcome());
  }
  std::fprintf(stderr, "error: dead-letters takes list, show or retry\n");
  return 2;
}

}  // namespace complaints::ctl
