#include "services/intake/app/evidence_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/core/status_macros.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/topics.h"
#include "libs/runner/unit_of_work.h"
#include "services/intake/app/intake_families.h"
#include "services/intake/domain/evidence.h"

namespace complaints::intake {

std::string EvidenceFileKey(const std::string& complaint_id, const std::string& sha256,
                            int partitions) {
  return absl::StrCat(ComplaintKey(complaint_id, partitions), "/", sha256);
}

std::string EvidenceChunkKey(const std::string& file_key, int32_t index) {
  return absl::StrFormat("%s/%06d", file_key, index);
}

absl::StatusOr<bool> HoldsEvidence(const Store& store, const std::string& complaint_id,
                                   const std::string& sha256) {
  ASSIGN_OR_RETURN(
      std::optional<std::string> stored,
      store.Get(kEvidenceFamily, EvidenceFileKey(complaint_id, sha256, store.partitions())));
  return stored.has_value();
}

absl::Status StoreChunk(Store* store, Outbox* outbox, const v1::EvidenceChunk& chunk) {
  const std::string file_key =
      EvidenceFileKey(chunk.complaint_id(), chunk.sha256(), store->partitions());
  UnitOfWork unit(store, outbox, Timeline::kSkip, nullptr, kViewParts);
  RETURN_IF_ERROR(unit.Publish(
      {std::string(topics::kEvidence), chunk.complaint_id(), chunk.SerializeAsString()}));
  unit.batch().Put(kEvidenceFamily, EvidenceChunkKey(file_key, chunk.index()), chunk.data());
  return unit.Commit(Durability::kBuffered);
}

void StageChunk(Batch& batch, const v1::EvidenceChunk& chunk, int partitions) {
  const std::string file = EvidenceFileKey(chunk.complaint_id(), chunk.sha256(), partitions);
  batch.Put(kEvidenceFamily, EvidenceChunkKey(file, chunk.index()), chunk.data());
  if (chunk.index() == 0) {
    v1::EvidenceChunk head = chunk;
    head.clear_data();
    head.clear_auth();  // as the upload wrote it
    batch.Put(kEvidenceFamily, file, head.SerializeAsString());
  }
}

void StageFileRecord(Batch& batch, const std::string& complaint_id,
                     const v1::Attachment& attachment, const std::string& key_id, int partitions) {
  v1::EvidenceChunk head;
  head.set_complaint_id(complaint_id);
  head.set_sha256(attachment.sha256());
  const auto size = static_cast<size_t>(std::max<int64_t>(0, attachment.size_bytes()));
  head.set_count(static_cast<int32_t>(
      std::max<size_t>(1, (size + kEvidenceChunkBytes - 1) / kEvidenceChunkBytes)));
  *head.mutable_attachment() = attachment;
  head.set_key_id(key_id);
  batch.Put(kEvidenceFamily, EvidenceFileKey(complaint_id, attachment.sha256(), partitions),
            head.SerializeAsString());
}

}  // namespace complaints::intake
