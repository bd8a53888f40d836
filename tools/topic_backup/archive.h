#pragma once
// The file format of a Kafka topic export (complaints-topics): one file per
// partition holding its records in offset order — offset, timestamp, key and
// value (or a tombstone) — so an import can write them back to the same
// partition in the same order. Big-endian framing after a magic header:
//   "CTOPIC1\n"
//   per record: u64 offset, i64 timestamp ms, u32 key length, key,
//               i32 value length (-1: tombstone), value
// The manifest beside the files gives each file's record count and SHA-256,
// which an import checks before it writes anything.

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "openssl/evp.h"

namespace complaints::topic_backup {

struct ArchivedRecord {
  int64_t offset = 0;
  int64_t timestamp_ms = 0;
  std::string key = "";
  std::optional<std::string> value = std::nullopt;  // nullopt: a tombstone
};

// Largest key and value an archive accepts (a record the platform writes is
// at most 1 MiB).
inline constexpr uint32_t kMaxKeyBytes = 64 * 1024;
inline constexpr int32_t kMaxValueBytes = 16 * 1024 * 1024;

class ArchiveWriter {
 public:
  static absl::StatusOr<std::unique_ptr<ArchiveWriter>> Create(const std::string& path);
  ~ArchiveWriter();
  absl::Status Append(const ArchivedRecord& record);
  // Flushes and closes; the file's SHA-256 (hex) and record count.
  absl::Status Finish();
  const std::string& sha256() const { return sha256_; }
  int64_t records() const { return records_; }

 private:
  ArchiveWriter(std::ofstream out, EVP_MD_CTX* digest) : out_(std::move(out)), digest_(digest) {}
  void Write(const std::string& bytes);

  std::ofstream out_;
  EVP_MD_CTX* digest_;
  std::string sha256_;
  int64_t records_ = 0;
};

class ArchiveReader {
 public:
  static absl::StatusOr<std::unique_ptr<ArchiveReader>> Open(const std::string& path);
  // The next record, nullopt at the end; DATA_LOSS for a cut or malformed
  // file, or offsets that do not increase.
  absl::StatusOr<std::optional<ArchivedRecord>> Next();

 private:
  ArchiveReader(std::ifstream in, std::string path) : in_(std::move(in)), path_(std::move(path)) {}
  bool Read(size_t size, std::string* bytes);

  std::ifstream in_;
  std::string path_;
  int64_t last_offset_ = -1;
};

// SHA-256 of a whole file as hex (for the manifest check).
absl::StatusOr<std::string> FileSha256(const std::string& path);

}  // namespace complaints::topic_backup
