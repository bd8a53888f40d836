#pragma once
// §2.2 evidence files: what a file is, read from its bytes (a name says
// nothing: "photo.jpg" may be a program), its SHA-256, and how its bytes are
// cut into records for complaints.evidence.v1 and checked when read back. Pure.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "complaints/v1/events.pb.h"
#include "libs/crypto/digest.h"

namespace complaints::intake {

// Bytes of one EvidenceChunk's data: well below the 256 KiB record ceiling.
inline constexpr size_t kEvidenceChunkBytes = 192 * 1024;

// The allow-listed media type the content is, from its leading bytes (and,
// for text, from all of it): image/jpeg, image/png, image/heic,
// application/pdf, audio/mpeg, audio/wav, video/mp4, message/rfc822 or
// text/plain (UTF-8 without control characters). nullopt for anything else.
std::optional<std::string> SniffMediaType(absl::string_view bytes);

// The records of one file, in order; `sha256` names it.
std::vector<v1::EvidenceChunk> ChunkEvidence(const std::string& complaint_id,
                                             const std::string& sha256, absl::string_view bytes,
                                             size_t chunk_bytes = kEvidenceChunkBytes);

// A record read from complaints.evidence.v1 is what ChunkEvidence writes:
// INVALID_ARGUMENT naming the field otherwise (`key` is the record's key).
absl::Status CheckChunk(const v1::EvidenceChunk& chunk, absl::string_view key,
                        size_t max_file_bytes);

}  // namespace complaints::intake
