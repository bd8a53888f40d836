#include "tools/complaintctl/evidence.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "complaints/v1/intake.grpc.pb.h"
#include "libs/core/clock.h"

namespace complaints::ctl {
namespace {

constexpr size_t kChunkBytes = 128 * 1024;

std::unique_ptr<v1::IntakeService::Stub> Intake(const CtlOptions& options) {
  return v1::IntakeService::NewStub(Channel(options, options.intake));
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

int AddEvidence(const CtlOptions& options, const std::string& key, const std::string& complaint_id,
                const std::string& path, const std::string& description) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "error: cannot read %s\n", path.c_str());
    return 2;
  }
  grpc::ClientContext context;
  // A large file takes longer than one command's deadline: a minute more.
  Prepare(context, options, absl::Minutes(1));
  v1::AttachEvidenceResponse response;
  auto stub = Intake(options);
  auto writer = stub->AttachEvidence(&context, &response);
  v1::AttachEvidenceRequest part;
  v1::EvidenceHeader& header = *part.mutable_header();
  header.set_idempotency_key(
      !key.empty() ? key
                   : absl::StrCat("complaintctl:evidence:", complaint_id, ":",
                                  absl::ToUnixMicros(complaints::WallNow()), ":", getpid()));
  header.set_complaint_id(complaint_id);
  header.set_name(BaseName(path));
  header.set_description(description);
  bool open = writer->Write(part);
  std::string buffer(kChunkBytes, '\0');
  while (open && file) {
    file.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (file.gcount() <= 0) break;
    part.set_chunk(buffer.substr(0, static_cast<size_t>(file.gcount())));
    open = writer->Write(part);
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  if (!status.ok()) return Failed(status);
  const v1::Attachment& attachment = response.attachment();
  return Print(
      options, response,
      absl::StrCat(complaint_id, ": ", attachment.name(), " attached (", attachment.media_type(),
                   ", ", attachment.size_bytes(), " bytes, sha256 ", attachment.sha256(), ")",
                   response.outcome().duplicate() ? " (repeat: nothing new recorded)" : ""));
}

int GetEvidence(const CtlOptions& options, const std::string& complaint_id,
                const std::string& sha256, const std::string& out) {
  const bool to_stdout = out.empty() || out == "-";
  if (to_stdout && isatty(STDOUT_FILENO)) {
    std::fprintf(stderr, "error: --out FILE (standard output is a terminal)\n");
    return 2;
  }
  std::ofstream file;
  if (!to_stdout) {
    file.open(out, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::fprintf(stderr, "error: cannot write %s\n", out.c_str());
      return 2;
    }
  }
  std::ostream& sink = to_stdout ? std::cout : file;
  grpc::ClientContext context;
  // A large file takes longer than one command's deadline: a minute more.
  Prepare(context, options, absl::Minutes(1));
  v1::GetEvidenceRequest request;
  request.set_complaint_id(complaint_id);
  request.set_sha256(sha256);
  auto stub = Intake(options);
  auto reader = stub->GetEvidence(&context, request);
  v1::GetEvidenceResponse message;
  v1::Attachment attachment;
  int64_t written = 0;
  while (reader->Read(&message)) {
    if (message.has_attachment()) attachment = message.attachment();
    sink.write(message.chunk().data(), static_cast<std::streamsize>(message.chunk().size()));
    written += static_cast<int64_t>(message.chunk().size());
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return Failed(status);
  sink.flush();
  if (!to_stdout) {
    std::fprintf(stderr, "%s: %s (%s, %lld bytes) written to %s\n", complaint_id.c_str(),
                 attachment.name().c_str(), attachment.media_type().c_str(),
                 static_cast<long long>(written), out.c_str());
  }
  return 0;
}

}  // namespace complaints::ctl
