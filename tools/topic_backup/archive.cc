#include "tools/topic_backup/archive.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace complaints::topic_backup {
namespace {

constexpr char kMagic[] = "CTOPIC1\n";
constexpr size_t kMagicBytes = sizeof(kMagic) - 1;

void PutU64(std::string* out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(value >> shift));
}
void PutU32(std::string* out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(value >> shift));
}
uint64_t GetU64(const std::string& in) {
  uint64_t value = 0;
  for (unsigned char c : in) value = (value << 8) | c;
  return value;
}

std::string HexDigest(EVP_MD_CTX* digest) {
  unsigned char bytes[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(digest, bytes, &size);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), static_cast<size_t>(size)));
}

EVP_MD_CTX* NewDigest() {
  EVP_MD_CTX* digest = EVP_MD_CTX_new();
  EVP_DigestInit_ex(digest, EVP_sha256(), nullptr);
  return digest;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ArchiveWriter>> ArchiveWriter::Create(const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::InvalidArgumentError(absl::StrCat(path, ": cannot be created"));
  std::unique_ptr<ArchiveWriter> writer(new ArchiveWriter(std::move(out), NewDigest()));
  writer->Write(std::string(kMagic, kMagicBytes));
  return writer;
}

ArchiveWriter::~ArchiveWriter() { EVP_MD_CTX_free(digest_); }

void ArchiveWriter::Write(const std::string& bytes) {
  out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  EVP_DigestUpdate(digest_, bytes.data(), bytes.size());
}

absl::Status ArchiveWriter::Append(const ArchivedRecord& record) {
  if (record.key.size() > kMaxKeyBytes ||
      (record.value.has_value() && record.value->size() > static_cast<size_t>(kMaxValueBytes))) {
    return absl::InvalidArgumentError(
        absl::StrCat("record at offset ", record.offset, " is larger than an archive holds"));
  }
  std::string frame;
  PutU64(&frame, static_cast<uint64_t>(record.offset));
  PutU64(&frame, static_cast<uint64_t>(record.timestamp_ms));
  PutU32(&frame, static_cast<uint32_t>(record.key.size()));
  frame += record.key;
  PutU32(&frame, record.value.has_value() ? static_cast<uint32_t>(record.value->size())
                                          : static_cast<uint32_t>(-1));
  if (record.value.has_value()) frame += *record.value;
  Write(frame);
  ++records_;
  return out_ ? absl::OkStatus() : absl::InternalError("writing the archive failed");
}

absl::Status ArchiveWriter::Finish() {
  out_.flush();
  if (!out_) return absl::InternalError("writing the archive failed");
  out_.close();
  sha256_ = HexDigest(digest_);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<ArchiveReader>> ArchiveReader::Open(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot be read"));
  std::unique_ptr<ArchiveReader> reader(new ArchiveReader(std::move(in), path));
  std::string magic;
  if (!reader->Read(kMagicBytes, &magic) || magic != absl::string_view(kMagic, kMagicBytes)) {
    return absl::DataLossError(absl::StrCat(path, ": not a topic archive"));
  }
  return reader;
}

bool ArchiveReader::Read(size_t size, std::string* bytes) {
  bytes->resize(size);
  in_.read(bytes->data(), static_cast<std::streamsize>(size));
  return static_cast<size_t>(in_.gcount()) == size;
}

absl::StatusOr<std::optional<ArchivedRecord>> ArchiveReader::Next() {
  std::string head;
  if (in_.peek() == std::ifstream::traits_type::eof()) return std::nullopt;
  auto cut = [&](absl::string_view what) {
    return absl::DataLossError(absl::StrCat(path_, ": ", what, " after offset ", last_offset_));
  };
  if (!Read(8 + 8 + 4, &head)) return cut("a record is cut");
  ArchivedRecord record;
  record.offset = static_cast<int64_t>(GetU64(head.substr(0, 8)));
  record.timestamp_ms = static_cast<int64_t>(GetU64(head.substr(8, 8)));
  const auto key_bytes = static_cast<uint32_t>(GetU64(head.substr(16, 4)));
  if (record.offset <= last_offset_) return cut("offsets do not increase");
  if (key_bytes > kMaxKeyBytes) return cut("a key is too long");
  if (!Read(key_bytes, &record.key)) return cut("a key is cut");
  std::string size;
  if (!Read(4, &size)) return cut("a value size is cut");
  const auto value_bytes = static_cast<int32_t>(static_cast<uint32_t>(GetU64(size)));
  if (value_bytes > kMaxValueBytes || value_bytes < -1) return cut("a value size is wrong");
  if (value_bytes >= 0) {
    std::string value;
    if (!Read(static_cast<size_t>(value_bytes), &value)) return cut("a value is cut");
    record.value = std::move(value);
  }
  last_offset_ = record.offset;
  return record;
}

absl::StatusOr<std::string> FileSha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot be read"));
  EVP_MD_CTX* digest = NewDigest();
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof(buffer));
    EVP_DigestUpdate(digest, buffer, static_cast<size_t>(in.gcount()));
  }
  std::string hex = HexDigest(digest);
  EVP_MD_CTX_free(digest);
  return hex;
}

}  // namespace complaints::topic_backup
