#include "tools/complaintctl/personal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "complaints/v1/analytics.grpc.pb.h"
#include "complaints/v1/intake.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "libs/core/time_util.h"
#include "tools/complaintctl/format.h"

namespace complaints::ctl {
namespace {

std::string Describe(const v1::PersonalData& personal) {
  const v1::Complainant& who = personal.complainant();
  std::string text;
  auto line = [&](const char* label, const std::string& value) {
    if (!value.empty()) absl::StrAppend(&text, "  ", label, ": ", value, "\n");
  };
  line("name", who.name());
  line("phone", who.phone());
  line("e-mail", who.email());
  line("ID number", who.identity_number());
  line("unit", personal.unit());
  line("content", personal.content());
  line("description", personal.description());
  return text;
}

}  // namespace

int Login(const CtlOptions& options, int ttl_minutes) {
  v1::IssueTokenRequest request;
  request.set_ttl_minutes(ttl_minutes);
  v1::IssueTokenResponse response;
  const grpc::Status status =
      Call(options, options.analytics, &v1::AnalyticsService::Stub::IssueToken, request, &response);
  if (!status.ok()) return Failed(status);
  if (options.json) return Print(options, response, "");
  std::printf("%s\n", response.token().c_str());
  std::fprintf(stderr, "valid until %s\n", TimeOrNone(response.expires_at()).c_str());
  return 0;
}

int ShowPersonalData(const CtlOptions& options, const std::string& complaint_id,
                     const std::string& reason) {
  v1::GetPersonalDataRequest request;
  request.set_complaint_id(complaint_id);
  request.set_reason(reason);
  v1::GetPersonalDataResponse response;
  const grpc::Status status =
      Call(options, options.intake, &v1::IntakeService::Stub::GetPersonalData, request, &response);
  if (!status.ok()) return Failed(status);
  return Print(options, response,
               absl::StrCat(complaint_id, " (this read is recorded with your reason):\n",
                            Describe(response.personal())));
}

int ExportPersonalData(const CtlOptions& options, const std::string& complaint_id,
                       const std::string& reason, const std::string& out) {
  const bool to_stdout = out.empty() || out == "-";
  if (to_stdout && isatty(STDOUT_FILENO)) {
    std::fprintf(stderr, "error: --out FILE (standard output is a terminal)\n");
    return 2;
  }
  v1::ExportPersonalDataRequest request;
  request.set_complaint_id(complaint_id);
  request.set_reason(reason);
  v1::ExportPersonalDataResponse response;
  const grpc::Status status = Call(
      options, options.intake, &v1::IntakeService::Stub::ExportPersonalData, request, &response);
  if (!status.ok()) return Failed(status);
  std::string json;
  google::protobuf::util::JsonPrintOptions print;
  print.add_whitespace = true;
  print.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(response, &json, print);
  int fd = STDOUT_FILENO;
  if (!to_stdout) {
    // Personal data: readable by the caller alone.
    fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
      std::fprintf(stderr, "error: cannot write %s\n", out.c_str());
      return 2;
    }
  }
  const bool written = write(fd, json.data(), json.size()) == static_cast<ssize_t>(json.size());
  if (!to_stdout) close(fd);
  if (!written) {
    std::fprintf(stderr, "error: writing the export failed\n");
    return 1;
  }
  if (!to_stdout) {
    std::fprintf(stderr, "%s: %d complaint%s of this complainant exported to %s\n",
                 complaint_id.c_str(), response.complaints_size(),
                 response.complaints_size() == 1 ? "" : "s", out.c_str());
  }
  return 0;
}

}  // namespace complaints::ctl
