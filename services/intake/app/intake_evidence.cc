// §2.2 evidence files: upload, download, and what rebuilds them from
// complaints.evidence.v1.
#include <algorithm>
#include <cstdio>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/complaint/input.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/runner/consumption.h"
#include "libs/runner/dead_letters.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/staff_commands.h"
#include "libs/runner/topics.h"
#include "libs/security/access_policy.h"
#include "services/intake/app/evidence_store.h"
#include "services/intake/app/intake_app.h"
#include "services/intake/app/intake_families.h"
#include "services/intake/domain/evidence.h"
#include "services/intake/domain/personal_data.h"

namespace complaints::intake {
std::unique_ptr<EvidenceUpload> IntakeApp::StartEvidenceUpload(absl::StatusOr<v1::Actor> actor) {
  return std::make_unique<EvidenceUpload>(this, std::move(actor), options_.upload_dir,
                                          options_.max_evidence_bytes);
}

absl::Status IntakeApp::CheckUpload(const v1::EvidenceHeader& header,
                                    const v1::Actor& actor) const {
  RETURN_IF_ERROR(CheckStaffRequest(header.idempotency_key(), header.complaint_id()));
  if (options_.upload_dir.empty()) return absl::UnimplementedError("evidence: not taken here");
  ASSIGN_OR_RETURN(const v1::ComplaintView view, StoredView(header.complaint_id()));
  RETURN_IF_ERROR(CheckHolding(actor, header.complaint_id(), view.dispatch().department(),
                               view.dispatch().handler()));
  return CheckUploadHeader(header, view, options_.max_evidence_bytes);
}

absl::Status IntakeApp::StoreChunks(const std::string& complaint_id,
                                    const v1::Attachment& attachment, const EvidenceFile& file) {
  // §4.2 the bytes are sealed under the complainant's key, like the rest.
  ASSIGN_OR_RETURN(const v1::ComplaintView view, StoredView(complaint_id));
  std::optional<SecretKey> key;
  if (!view.intake().key_id().empty()) {
    ASSIGN_OR_RETURN(key, options_.keys->Get(view.intake().key_id()));
  }
  std::FILE* spool = std::fopen(file.path.c_str(), "rb");
  if (spool == nullptr) return absl::InternalError("evidence: the spool file is gone");
  const auto close = absl::MakeCleanup([spool] { std::fclose(spool); });
  const size_t count =
      std::max<size_t>(1, (file.size + kEvidenceChunkBytes - 1) / kEvidenceChunkBytes);
  std::string bytes(kEvidenceChunkBytes, '\0');
  for (size_t index = 0; index < count; ++index) {
    bytes.resize(std::fread(bytes.data(), 1, kEvidenceChunkBytes, spool));
    v1::EvidenceChunk chunk;
    chunk.set_complaint_id(complaint_id);
    chunk.set_sha256(attachment.sha256());
    chunk.set_index(static_cast<int32_t>(index));
    chunk.set_count(static_cast<int32_t>(count));
    if (index == 0) *chunk.mutable_attachment() = attachment;
    if (key.has_value()) {
      chunk.set_key_id(view.intake().key_id());
      chunk.set_data(
          Seal(*key, bytes,
               EvidenceContext(complaint_id, attachment.sha256(), static_cast<int32_t>(index))));
    } else {
      chunk.set_data(bytes);
    }
    // One small batch per chunk, so memory stays flat.
    RETURN_IF_ERROR(StoreChunk(options_.parts.store, options_.parts.outbox, chunk));
    bytes.resize(kEvidenceChunkBytes);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::AttachEvidenceResponse> IntakeApp::AttachEvidenceFile(
    const v1::EvidenceHeader& header, const EvidenceFile& file, const v1::Actor& actor) {
  v1::EvidenceAttached attached;
  v1::Attachment& attachment = *attached.mutable_attachment();
  attachment.set_name(header.name());
  attachment.set_sha256(file.sha256);
  attachment.set_size_bytes(static_cast<int64_t>(file.size));
  attachment.set_media_type(file.media_type);
  attached.set_description(header.description());
  const std::string& complaint_id = header.complaint_id();
  // The bytes first, unless the file is here already or the request was answered.
  ASSIGN_OR_RETURN(const bool answered, runner_.Seen(header.idempotency_key()));
  ASSIGN_OR_RETURN(const bool known,
                   HoldsEvidence(*options_.parts.store, complaint_id, attachment.sha256()));
  if (!answered && !known) RETURN_IF_ERROR(StoreChunks(complaint_id, attachment, file));
  v1::AttachEvidenceResponse response;
  static const google::protobuf::MethodDescriptor* const kAttach =
      MethodOf(v1::AttachEvidenceRequest::descriptor()->file()->FindServiceByName("IntakeService"),
               "AttachEvidence");
  RETURN_IF_ERROR(
      runner_.Run(kAttach, attached, header.idempotency_key(), complaint_id, actor, &response));
  *response.mutable_attachment() = attachment;
  return response;
}

absl::Status IntakeApp::GetEvidence(
    const v1::GetEvidenceRequest& request, const v1::Actor& actor,
    const std::function<bool(const v1::GetEvidenceResponse&)>& write) {
  std::string complaint_id = request.complaint_id();
  RETURN_IF_ERROR(CleanField("complaint_id", &complaint_id, kMaxComplaintIdBytes,
                             TextShape::kSingleLine, Presence::kRequired));
  if (request.sha256().size() != 64) return InvalidField("sha256", "64 lower-case hex digits");
  // Who holds it, as far as intake has followed dispatch.
  ASSIGN_OR_RETURN(const v1::ComplaintView view, StoredView(complaint_id));
  RETURN_IF_ERROR(
      CheckHolding(actor, complaint_id, view.dispatch().department(), view.dispatch().handler()));
  const std::string file =
      EvidenceFileKey(complaint_id, request.sha256(), options_.parts.store->partitions());
  ASSIGN_OR_RETURN(std::optional<std::string> stored,
                   options_.parts.store->Get(kEvidenceFamily, file));
  v1::EvidenceChunk head;
  if (!stored.has_value() || !head.ParseFromString(*stored)) {
    return absl::NotFoundError(absl::StrCat("complaint ", EscapedPrefix(complaint_id),
                                            " has no evidence with SHA-256 ",
                                            EscapedPrefix(request.sha256(), 64)));
  }
  std::optional<SecretKey> key;
  if (!head.key_id().empty()) {
    ASSIGN_OR_RETURN(key, options_.keys->Get(head.key_id()));
  }
  v1::GetEvidenceResponse message;
  *message.mutable_attachment() = head.attachment();
  for (int32_t index = 0; index < head.count(); ++index) {
    ASSIGN_OR_RETURN(std::optional<std::string> data,
                     options_.parts.store->Get(kEvidenceFamily, EvidenceChunkKey(file, index)));
    if (!data.has_value()) {
      return absl::UnavailableError(
          "evidence: its bytes are being restored from complaints.evidence.v1; retry in a moment");
    }
    if (key.has_value()) {
      ASSIGN_OR_RETURN(*data,
                       Open(*key, *data, EvidenceContext(complaint_id, request.sha256(), index)));
    }
    message.set_chunk(*std::move(data));
    if (!write(message)) return absl::CancelledError("the caller went away");
    message.clear_attachment();
  }
  return absl::OkStatus();
}

absl::Status IntakeApp::ApplyEvidence(const std::vector<ConsumedRecord>& records) {
  Batch batch;
  LetterBatch dead(options_.parts.dead_letters, options_.parts.clock->Now());
  const int partitions = options_.parts.store->partitions();
  for (const ConsumedRecord& record : records) {
    v1::EvidenceChunk chunk;
    const bool parsed = chunk.ParseFromString(record.payload);
    if (parsed && !dead.Authentic(batch, record, options_.parts.outbox->authority())) {
      StageConsumedOffset(batch, record);
      continue;
    }
    absl::Status checked = parsed ? CheckChunk(chunk, record.key, options_.max_evidence_bytes)
                                  : absl::InvalidArgumentError("not an EvidenceChunk");
    if (checked.ok()) {
      // A chunk already kept stays as it is: the upload wrote it before it
      // was published, and a later record naming the same file (re-sent or
      // forged) must not change the bytes the SHA-256 names.
      ASSIGN_OR_RETURN(
          std::optional<std::string> kept,
          options_.parts.store->Get(
              kEvidenceFamily,
              EvidenceChunkKey(EvidenceFileKey(chunk.complaint_id(), chunk.sha256(), partitions),
                               chunk.index())));
      if (!kept.has_value()) StageChunk(batch, chunk, partitions);
    } else {
      dead.Add(batch, record,
               parsed ? v1::DEAD_LETTER_KIND_FAILED_CHECK : v1::DEAD_LETTER_KIND_UNDECODABLE,
               checked.message());
    }
    StageConsumedOffset(batch, record);
  }
  RETURN_IF_ERROR(options_.parts.store->Write(batch, Durability::kBuffered));
  dead.Written();
  return absl::OkStatus();
}

}  // namespace complaints::intake
