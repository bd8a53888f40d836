#include "tools/complaintctl/commands.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "complaints/v1/analytics.grpc.pb.h"
#include "complaints/v1/intake.grpc.pb.h"
#include "complaints/v1/tracking.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/eventlog/admin.h"
#include "libs/runner/topics.h"
#include "libs/server/health_probe.h"
#include "tools/complaintctl/format.h"

namespace complaints::ctl {
namespace {

std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

void SetDeadline(grpc::ClientContext& context, const CtlOptions& options) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
}

int Failed(const grpc::Status& status) {
  std::fprintf(stderr, "error: %s: %s\n", absl::StatusCodeToString(static_cast<absl::StatusCode>(
                                              status.error_code())).c_str(),
               status.error_message().c_str());
  return 1;
}

void Print(const CtlOptions& options, const google::protobuf::Message& message,
           const std::string& text) {
  std::cout << (options.json ? ToJson(message) + "\n" : text);
  if (!options.json && !text.empty() && text.back() != '\n') std::cout << "\n";
  std::cout.flush();
}

}  // namespace

int Submit(const CtlOptions& options, v1::SubmitComplaintRequest request) {
  auto stub = v1::Intake::NewStub(Channel(options.intake));
  grpc::ClientContext context;
  SetDeadline(context, options);
  v1::SubmitComplaintResponse response;
  grpc::Status status = stub->SubmitComplaint(&context, request, &response);
  if (!status.ok()) return Failed(status);
  Print(options, response, FormatSubmitted(response));
  return 0;
}

int Import(const CtlOptions& options, const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "error: %s: cannot be read\n", path.c_str());
    return 2;
  }
  const std::string name = path.substr(path.find_last_of('/') + 1);
  auto stub = v1::Intake::NewStub(Channel(options.intake));
  int line_number = 0, failures = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    v1::SubmitComplaintRequest request;
    if (!google::protobuf::util::JsonStringToMessage(line, &request).ok()) {
      std::fprintf(stderr, "%s:%d: not a SubmitComplaintRequest in JSON\n", path.c_str(), line_number);
      ++failures;
      continue;
    }
    if (request.idempotency_key().empty()) {
      request.set_idempotency_key(absl::StrCat("import:", name, ":", line_number));
    }
    grpc::ClientContext context;
    SetDeadline(context, options);
    v1::SubmitComplaintResponse response;
    grpc::Status status = stub->SubmitComplaint(&context, request, &response);
    if (!status.ok()) {
      std::fprintf(stderr, "%s:%d: ", path.c_str(), line_number);
      Failed(status);
      ++failures;
      continue;
    }
    Print(options, response, FormatSubmitted(response));
  }
  return failures == 0 ? 0 : 1;
}

int Show(const CtlOptions& options, const std::string& complaint_id) {
  auto stub = v1::Tracking::NewStub(Channel(options.tracking));
  grpc::ClientContext context;
  SetDeadline(context, options);
  v1::GetComplaintRequest request;
  request.set_complaint_id(complaint_id);
  v1::ComplaintTimeline timeline;
  grpc::Status status = stub->GetComplaint(&context, request, &timeline);
  if (!status.ok()) return Failed(status);
  Print(options, timeline, FormatTimeline(timeline));
  return 0;
}

int Counts(const CtlOptions& options, const std::string& from_day, const std::string& to_day) {
  auto stub = v1::Analytics::NewStub(Channel(options.analytics));
  grpc::ClientContext context;
  SetDeadline(context, options);
  v1::GetCountsRequest request;
  request.set_from_day(from_day);
  request.set_to_day(to_day);
  v1::GetCountsResponse counts;
  grpc::Status status = stub->GetCounts(&context, request, &counts);
  if (!status.ok()) return Failed(status);
  Print(options, counts, FormatCounts(counts));
  return 0;
}

int WaitReady(const CtlOptions& options) {
  const absl::Time deadline = absl::Now() + options.timeout;
  for (const auto& [name, address] :
       {std::pair<std::string, std::string>{"intake", options.intake},
        {"dispatch", options.dispatch},
        {"tracking", options.tracking},
        {"analytics", options.analytics}}) {
    if (!WaitUntilServing(address, deadline - absl::Now(), absl::Milliseconds(200))) {
      std::fprintf(stderr, "error: %s at %s is not serving\n", name.c_str(), address.c_str());
      return 1;
    }
    if (!options.json) std::printf("%-9s %s serving\n", name.c_str(), address.c_str());
  }
  return 0;
}

int EnsureTopicsCommand(const CtlOptions& options) {
  std::vector<absl::string_view> all(topics::kAll.begin(), topics::kAll.end());
  absl::Status status = EnsureTopics({.brokers = options.brokers, .client_id = "complaintctl", .overrides = {}}, all,
                                     {.partitions = options.partitions}, options.timeout);
  if (!status.ok()) {
    std::fprintf(stderr, "error: %s\n", status.ToString().c_str());
    return 1;
  }
  for (absl::string_view topic : all) std::printf("%s\n", std::string(topic).c_str());
  return 0;
}

}  // namespace complaints::ctl
