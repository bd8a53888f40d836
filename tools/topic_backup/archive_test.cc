// The topic archive format on its own: what is written reads back exactly,
// and a damaged file is refused, never half-read.
#include "tools/topic_backup/archive.h"

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "libs/testing/temp_dir.h"

namespace complaints::topic_backup {
namespace {

std::vector<ArchivedRecord> Sample() {
  return {{.offset = 0, .timestamp_ms = 1'795'000'000'000, .key = "C1", .value = "event 1"},
          {.offset = 1, .timestamp_ms = 1'795'000'000'001, .key = "", .value = std::string()},
          {.offset = 5,
           .timestamp_ms = 1'795'000'000'002,
           .key = std::string("k\0y", 3),
           .value = std::nullopt},
          {.offset = 6,
           .timestamp_ms = 1'795'000'000'003,
           .key = "C2",
           .value = std::string(900 * 1024, '\xFF')}};
}

TEST(TopicArchive, RecordsReadBackExactlyWithTombstonesAndGaps) {
  testing::TempDir dir;
  auto writer = ArchiveWriter::Create(dir.Sub("0.rec"));
  ASSERT_TRUE(writer.ok()) << writer.status();
  for (const ArchivedRecord& record : Sample()) ASSERT_TRUE((*writer)->Append(record).ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  EXPECT_EQ((*writer)->records(), 4);
  EXPECT_EQ((*writer)->sha256(), *FileSha256(dir.Sub("0.rec")));

  auto reader = ArchiveReader::Open(dir.Sub("0.rec"));
  ASSERT_TRUE(reader.ok()) << reader.status();
  for (const ArchivedRecord& expected : Sample()) {
    auto next = (*reader)->Next();
    ASSERT_TRUE(next.ok()) << next.status();
    ASSERT_TRUE(next->has_value());
    EXPECT_EQ((*next)->offset, expected.offset);
    EXPECT_EQ((*next)->timestamp_ms, expected.timestamp_ms);
    EXPECT_EQ((*next)->key, expected.key);
    EXPECT_EQ((*next)->value, expected.value);
  }
  auto end = (*reader)->Next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST(TopicArchive, ACutOrForeignFileIsRefused) {
  testing::TempDir dir;
  auto writer = ArchiveWriter::Create(dir.Sub("0.rec"));
  ASSERT_TRUE(writer.ok());
  for (const ArchivedRecord& record : Sample()) ASSERT_TRUE((*writer)->Append(record).ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  std::filesystem::resize_file(dir.Sub("0.rec"), std::filesystem::file_size(dir.Sub("0.rec")) - 10);
  auto reader = ArchiveReader::Open(dir.Sub("0.rec"));
  ASSERT_TRUE(reader.ok());
  absl::Status last = absl::OkStatus();
  for (int i = 0; i < 5 && last.ok(); ++i) last = (*reader)->Next().status();
  EXPECT_EQ(last.code(), absl::StatusCode::kDataLoss) << last;

  std::ofstream(dir.Sub("foreign.rec")) << "not an archive at all";
  EXPECT_EQ(ArchiveReader::Open(dir.Sub("foreign.rec")).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(ArchiveReader::Open(dir.Sub("missing.rec")).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace complaints::topic_backup
