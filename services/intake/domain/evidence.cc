#include "services/intake/domain/evidence.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/complaint/input.h"
#include "libs/core/text.h"
#include "libs/crypto/sealing.h"
#include "services/intake/domain/validation.h"

namespace complaints::intake {
namespace {

bool At(absl::string_view bytes, size_t offset, absl::string_view magic) {
  return bytes.size() >= offset + magic.size() && bytes.substr(offset, magic.size()) == magic;
}

// ISO base media files (MP4, HEIC): "ftyp" at 4, the major brand at 8.
std::optional<std::string> IsoMedia(absl::string_view bytes) {
  if (!At(bytes, 4, "ftyp") || bytes.size() < 12) return std::nullopt;
  const absl::string_view brand = bytes.substr(8, 4);
  for (absl::string_view heic : {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"}) {
    if (brand == heic) return "image/heic";
  }
  for (absl::string_view mp4 : {"isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1",
                                "M4V ", "dash", "3gp4", "3gp5"}) {
    if (brand == mp4) return "video/mp4";
  }
  return std::nullopt;
}

// An MPEG audio frame header: 11 sync bits, a known version and layer.
bool MpegAudioFrame(absl::string_view bytes) {
  if (bytes.size() < 4) return false;
  const auto b1 = static_cast<unsigned char>(bytes[1]);
  return static_cast<unsigned char>(bytes[0]) == 0xFF && (b1 & 0xE0) == 0xE0 &&
         ((b1 >> 3) & 0x3) != 0x1 && ((b1 >> 1) & 0x3) != 0x0;
}

// Text a person wrote: UTF-8, no control characters but tab, line feed,
// carriage return and form feed.
bool PlainText(absl::string_view bytes) {
  if (bytes.empty() || !IsValidUtf8(bytes)) return false;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || u == 0x7F) return false;
  }
  return true;
}

// A mail message: plain text whose first line is one of the headers every
// saved mail starts with.
bool MailMessage(absl::string_view bytes) {
  for (absl::string_view header : {"Return-Path:", "Received:", "From:", "Date:", "Message-ID:",
                                   "MIME-Version:", "Delivered-To:", "Subject:", "To:"}) {
    if (absl::StartsWithIgnoreCase(bytes, header)) return PlainText(bytes.substr(0, 64 * 1024));
  }
  return false;
}

constexpr size_t kHeadBytes = 64 * 1024;

// The type the leading bytes show, or text's when `text` (all of the file is).
std::optional<std::string> TypeOf(absl::string_view bytes, bool text) {
  if (At(bytes, 0, "\xFF\xD8\xFF")) return "image/jpeg";
  if (At(bytes, 0, "\x89PNG\r\n\x1A\n")) return "image/png";
  if (At(bytes, 0, "%PDF-")) return "application/pdf";
  if (At(bytes, 0, "RIFF") && At(bytes, 8, "WAVE")) return "audio/wav";
  if (std::optional<std::string> iso = IsoMedia(bytes)) return iso;
  if (At(bytes, 0, "ID3") || MpegAudioFrame(bytes)) return "audio/mpeg";
  if (!text) return std::nullopt;
  if (MailMessage(bytes)) return "message/rfc822";
  return "text/plain";
}

// The length of the incomplete UTF-8 sequence ending `bytes` (0 to 3).
size_t IncompleteTail(absl::string_view bytes) {
  for (size_t back = 1; back <= 3 && back <= bytes.size(); ++back) {
    const auto c = static_cast<unsigned char>(bytes[bytes.size() - back]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    const size_t length = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    return length > back ? back : 0;
  }
  return 0;
}

}  // namespace

std::optional<std::string> SniffMediaType(absl::string_view bytes) {
  MediaSniffer sniffer;
  sniffer.Add(bytes);
  return sniffer.MediaType();
}

void MediaSniffer::Add(absl::string_view bytes) {
  if (bytes.empty()) return;
  empty_ = false;
  if (head_.size() < kHeadBytes) {
    const absl::string_view more = bytes.substr(0, kHeadBytes - head_.size());
    head_.append(more.data(), more.size());
  }
  if (!text_) return;
  std::string piece = carry_;
  piece.append(bytes.data(), bytes.size());
  const size_t tail = IncompleteTail(piece);
  carry_ = piece.substr(piece.size() - tail);
  piece.resize(piece.size() - tail);
  text_ = piece.empty() || PlainText(piece);
}

std::optional<std::string> MediaSniffer::MediaType() const {
  if (empty_) return std::nullopt;
  return TypeOf(head_, text_ && carry_.empty());
}

absl::Status CheckUploadHeader(const v1::EvidenceHeader& header, const v1::ComplaintView& view,
                               size_t max_bytes) {
  if (!view.intake().received()) {
    return absl::NotFoundError(
        absl::StrCat("complaint ", EscapedPrefix(header.complaint_id()), " is not known"));
  }
  if (view.intake().attachments() >= kMaxAttachments) {
    return absl::FailedPreconditionError(absl::StrCat("complaint ",
                                                      EscapedPrefix(header.complaint_id()), " has ",
                                                      kMaxAttachments, " attachments already"));
  }
  std::string name = header.name();
  if (absl::Status named = CleanField("header.name", &name, kMaxAttachmentNameChars,
                                      TextShape::kSingleLine, Presence::kRequired);
      !named.ok()) {
    return named;
  }
  if (absl::StatusOr<std::string> description = CleanFreeText(
          "header.description", header.description(), kMaxReasonChars, /*required=*/false);
      !description.ok()) {
    return description.status();
  }
  if (header.size_bytes() < 0) {
    return absl::InvalidArgumentError("header.size_bytes: 0 (not said) or the file's size");
  }
  if (static_cast<uint64_t>(header.size_bytes()) > max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("header.size_bytes: the file is larger than ", max_bytes, " bytes"));
  }
  return absl::OkStatus();
}

std::vector<v1::EvidenceChunk> ChunkEvidence(const std::string& complaint_id,
                                             const std::string& sha256, absl::string_view bytes,
                                             size_t chunk_bytes) {
  const size_t count = std::max<size_t>(1, (bytes.size() + chunk_bytes - 1) / chunk_bytes);
  std::vector<v1::EvidenceChunk> chunks(count);
  for (size_t i = 0; i < count; ++i) {
    chunks[i].set_complaint_id(complaint_id);
    chunks[i].set_sha256(sha256);
    chunks[i].set_index(static_cast<int32_t>(i));
    chunks[i].set_count(static_cast<int32_t>(count));
    chunks[i].set_data(std::string(bytes.substr(i * chunk_bytes, chunk_bytes)));
  }
  return chunks;
}

absl::Status CheckChunk(const v1::EvidenceChunk& chunk, absl::string_view key,
                        size_t max_file_bytes) {
  auto invalid = [](absl::string_view field, absl::string_view reason) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
  };
  if (chunk.complaint_id().empty() || chunk.complaint_id() != key) {
    return invalid("complaint_id", "must be the record's key");
  }
  if (chunk.sha256().size() != 64) return invalid("sha256", "64 hex digits");
  for (char c : chunk.sha256()) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c)) || absl::ascii_isupper(c)) {
      return invalid("sha256", "lower-case hex");
    }
  }
  const size_t max_count = (max_file_bytes + kEvidenceChunkBytes - 1) / kEvidenceChunkBytes;
  if (chunk.count() < 1 || static_cast<size_t>(chunk.count()) > max_count) {
    return invalid("count", absl::StrCat("1 to ", max_count));
  }
  if (chunk.index() < 0 || chunk.index() >= chunk.count()) return invalid("index", "below count");
  // Sealed chunks carry the seal's nonce and tag besides the bytes.
  const size_t max_data = kEvidenceChunkBytes + (chunk.key_id().empty() ? 0 : kSealOverhead);
  if (chunk.data().size() > max_data) {
    return invalid("data", absl::StrCat("at most ", max_data, " bytes"));
  }
  if (chunk.key_id().size() > 80) return invalid("key_id", "at most 80 characters");
  return absl::OkStatus();
}

}  // namespace complaints::intake
