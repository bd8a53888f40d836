#pragma once
// §2.2 where intake keeps evidence files (family kEvidence):
//   "<complaint key>/<sha256>"          -> the file's record: its first chunk
//                                          without data (attachment, count, key)
//   "<complaint key>/<sha256>/<index>"  -> the bytes of chunk `index`, sealed
// The bytes come from an upload (StoreChunk, published to
// complaints.evidence.v1 in the same batch) or from that topic read back;
// the file's record comes last, with its EvidenceAttached (EvidenceFold), so
// a crash midway leaves no file that looks complete.

#include <string>

#include "absl/status/statusor.h"
#include "complaints/v1/events.pb.h"
#include "libs/runner/outbox.h"
#include "libs/store/store.h"

namespace complaints::intake {

std::string EvidenceFileKey(const std::string& complaint_id, const std::string& sha256,
                            int partitions);
std::string EvidenceChunkKey(const std::string& file_key, int32_t index);

// Whether the complaint has the file `sha256` recorded.
absl::StatusOr<bool> HoldsEvidence(const Store& store, const std::string& complaint_id,
                                   const std::string& sha256);

// Stores one uploaded chunk and publishes it, in one buffered batch.
absl::Status StoreChunk(Store* store, Outbox* outbox, const v1::EvidenceChunk& chunk);

// Stages one record of a file as read back from the topic: its bytes, and
// for the first its metadata (the file's record).
void StageChunk(Batch& batch, const v1::EvidenceChunk& chunk, int partitions);

// Stages the file's record of an upload whose chunks are stored.
void StageFileRecord(Batch& batch, const std::string& complaint_id,
                     const v1::Attachment& attachment, const std::string& key_id, int partitions);

}  // namespace complaints::intake
