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
#include "complaints/v1/intake.pb.h"
#include "complaints/v1/state.pb.h"
#include "libs/crypto/digest.h"

namespace complaints::intake {

// What an upload may be, for messages.
inline constexpr char kAcceptedMedia[] =
    "JPEG, PNG or HEIC images, PDF, MP3 or WAV audio, MP4 video, plain text or a saved e-mail";

// Bytes of one EvidenceChunk's data: well below the 256 KiB record ceiling.
inline constexpr size_t kEvidenceChunkBytes = 192 * 1024;

// The allow-listed media type the content is, from its leading bytes (and,
// for text, from all of it): image/jpeg, image/png, image/heic,
// application/pdf, audio/mpeg, audio/wav, video/mp4, message/rfc822 or
// text/plain (UTF-8 without control characters). nullopt for anything else.
std::optional<std::string> SniffMediaType(absl::string_view bytes);

// The same for bytes that arrive in pieces (an upload): it keeps the first
// 64 KiB and whether everything so far could be text, nothing else.
class MediaSniffer {
 public:
  void Add(absl::string_view bytes);
  std::optional<std::string> MediaType() const;

 private:
  std::string head_;   // the first kHeadBytes
  std::string carry_;  // an incomplete UTF-8 sequence at the end of the last piece
  bool text_ = true;   // every byte so far is text's
  bool empty_ = true;
};

// §2.2 whether an upload described by `header` may begin, decided before
// any of its bytes is read: the complaint is known and has room for another
// attachment (`view`), the name and description are acceptable, and a
// declared size is within `max_bytes`. NOT_FOUND, FAILED_PRECONDITION,
// INVALID_ARGUMENT naming the header's field, RESOURCE_EXHAUSTED.
absl::Status CheckUploadHeader(const v1::EvidenceHeader& header, const v1::ComplaintView& view,
                               size_t max_bytes);

// The records of one file, in order; `sha256` names it.
std::vector<v1::EvidenceChunk> ChunkEvidence(const std::string& complaint_id,
                                             const std::string& sha256, absl::string_view bytes,
                                             size_t chunk_bytes = kEvidenceChunkBytes);

// A record read from complaints.evidence.v1 is what ChunkEvidence writes:
// INVALID_ARGUMENT naming the field otherwise (`key` is the record's key).
absl::Status CheckChunk(const v1::EvidenceChunk& chunk, absl::string_view key,
                        size_t max_file_bytes);

}  // namespace complaints::intake
