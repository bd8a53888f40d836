#include "services/intake/app/evidence_upload.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "libs/complaint/input.h"
#include "services/intake/app/intake_app.h"

namespace complaints::intake {

EvidenceUpload::EvidenceUpload(IntakeApp* app, absl::StatusOr<v1::Actor> actor,
                               std::string spool_dir, size_t max_bytes)
    : app_(app),
      actor_(std::move(actor)),
      spool_dir_(std::move(spool_dir)),
      max_bytes_(max_bytes) {}

EvidenceUpload::~EvidenceUpload() { Discard(); }

void EvidenceUpload::Discard() {
  if (spool_ != nullptr) std::fclose(spool_);
  spool_ = nullptr;
  if (!path_.empty()) std::remove(path_.c_str());
  path_.clear();
}

absl::Status EvidenceUpload::Begin(const v1::AttachEvidenceRequest& first) {
  if (!actor_.ok()) return actor_.status();
  if (!first.has_header()) return InvalidField("header", "the first message must carry it");
  header_ = first.header();
  if (absl::Status allowed = app_->CheckUpload(header_, *actor_); !allowed.ok()) return allowed;
  std::string path = spool_dir_ + "/upload-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("evidence: no room to receive the file (", std::strerror(errno), ")"));
  }
  path_ = path;
  spool_ = fdopen(fd, "wb");
  if (spool_ == nullptr) {
    close(fd);
    Discard();
    return absl::InternalError("evidence: the spool file does not open");
  }
  return absl::OkStatus();
}

absl::Status EvidenceUpload::Add(const v1::AttachEvidenceRequest& next) {
  absl::Status added = next.has_header() ? InvalidField("header", "only in the first message")
                                         : AddToSpool(next.chunk());
  if (!added.ok()) Discard();
  return added;
}

absl::Status EvidenceUpload::AddToSpool(const std::string& chunk) {
  if (spool_ == nullptr) return absl::FailedPreconditionError("evidence: the upload has ended");
  size_ += chunk.size();
  const bool declared = header_.size_bytes() > 0;
  const size_t limit = declared ? static_cast<size_t>(header_.size_bytes()) : max_bytes_;
  if (size_ > limit) {
    return absl::ResourceExhaustedError(
        declared ? absl::StrCat("chunk: the file is larger than its declared ",
                                header_.size_bytes(), " bytes")
                 : absl::StrCat("chunk: the file is larger than ", max_bytes_, " bytes"));
  }
  if (std::fwrite(chunk.data(), 1, chunk.size(), spool_) != chunk.size()) {
    return absl::UnavailableError("evidence: the file could not be written down; retry later");
  }
  sha256_.Add(chunk);
  sniffer_.Add(chunk);
  return absl::OkStatus();
}

absl::StatusOr<v1::AttachEvidenceResponse> EvidenceUpload::Finish() {
  absl::StatusOr<v1::AttachEvidenceResponse> stored = Store();
  Discard();
  return stored;
}

absl::StatusOr<v1::AttachEvidenceResponse> EvidenceUpload::Store() {
  if (spool_ == nullptr) return absl::FailedPreconditionError("evidence: the upload has ended");
  if (size_ == 0) return InvalidField("chunk", "the file is empty");
  if (std::fflush(spool_) != 0) {
    return absl::UnavailableError("evidence: the file could not be written down; retry later");
  }
  const std::optional<std::string> media_type = sniffer_.MediaType();
  if (!media_type.has_value()) {
    return InvalidField("chunk", absl::StrCat("the content is none of ", kAcceptedMedia,
                                              " (read from the bytes; the name does not count)"));
  }
  return app_->AttachEvidenceFile(
      header_,
      {.path = path_, .size = size_, .sha256 = sha256_.HexDigest(), .media_type = *media_type},
      *actor_);
}

}  // namespace complaints::intake
