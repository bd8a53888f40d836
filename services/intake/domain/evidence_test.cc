#include "services/intake/domain/evidence.h"

#include "gtest/gtest.h"

namespace complaints::intake {
namespace {

std::string Bytes(std::initializer_list<int> values, size_t pad = 32) {
  std::string bytes;
  for (int v : values) bytes += static_cast<char>(v);
  bytes.append(pad, '\x01');
  return bytes;
}

TEST(SniffMediaType, ReadsTheTypeFromTheContent) {
  EXPECT_EQ(SniffMediaType(Bytes({0xFF, 0xD8, 0xFF, 0xE0})), "image/jpeg");
  EXPECT_EQ(SniffMediaType(Bytes({0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})), "image/png");
  EXPECT_EQ(SniffMediaType("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), "application/pdf");
  EXPECT_EQ(SniffMediaType(std::string("RIFF\x24\x08\x00\x00WAVEfmt ", 16)), "audio/wav");
  EXPECT_EQ(SniffMediaType(std::string("\x00\x00\x00\x18"
                                       "ftypheic\x00\x00\x00\x00",
                                       16)),
            "image/heic");
  EXPECT_EQ(SniffMediaType(std::string("\x00\x00\x00\x18"
                                       "ftypisom\x00\x00\x02\x00",
                                       16)),
            "video/mp4");
  EXPECT_EQ(SniffMediaType(Bytes({'I', 'D', '3', 4, 0})), "audio/mpeg");
  EXPECT_EQ(SniffMediaType(Bytes({0xFF, 0xFB, 0x90, 0x64})), "audio/mpeg");
  EXPECT_EQ(SniffMediaType("From: resident@example.cn\r\nSubject: leak\r\n\r\nWater again.\r\n"),
            "message/rfc822");
  EXPECT_EQ(SniffMediaType("楼上漏水，已经三天了。\nThe ceiling is wet.\n"), "text/plain");
}

TEST(SniffMediaType, RefusesWhatIsNotOnTheListWhateverItIsCalled) {
  EXPECT_EQ(SniffMediaType(Bytes({'M', 'Z', 0x90, 0x00})), std::nullopt) << "a Windows program";
  EXPECT_EQ(SniffMediaType(Bytes({0x7F, 'E', 'L', 'F'})), std::nullopt) << "a Linux program";
  EXPECT_EQ(SniffMediaType(Bytes({'P', 'K', 3, 4})), std::nullopt) << "a zip archive";
  EXPECT_EQ(SniffMediaType("#!/bin/sh\x1b[2J rm -rf /"), std::nullopt) << "control characters";
  EXPECT_EQ(SniffMediaType(std::string("\x00\x00\x00\x18"
                                       "ftypqt  \x00\x00\x00\x00",
                                       16)),
            std::nullopt)
      << "QuickTime is not on the list";
  EXPECT_EQ(SniffMediaType("\xC3\x28 not UTF-8"), std::nullopt);
  EXPECT_EQ(SniffMediaType(""), std::nullopt);
}

TEST(Sha256Hex, MatchesTheStandardsTestVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ChunkEvidence, CutsTheBytesInOrderAndEachChunkPassesTheCheck) {
  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes += static_cast<char>(i % 251);
  const std::string sha = Sha256Hex(bytes);
  std::vector<v1::EvidenceChunk> chunks = ChunkEvidence("C1", sha, bytes, 300);
  ASSERT_EQ(chunks.size(), 4u);
  std::string joined;
  for (const v1::EvidenceChunk& chunk : chunks) {
    EXPECT_EQ(chunk.count(), 4);
    EXPECT_TRUE(CheckChunk(chunk, "C1", 25 << 20).ok());
    joined += chunk.data();
  }
  EXPECT_EQ(joined, bytes);
  EXPECT_EQ(chunks[3].data().size(), 100u);
}

TEST(CheckChunk, NamesTheFieldOfARecordNoWriterOfOursMade) {
  v1::EvidenceChunk chunk = ChunkEvidence("C1", Sha256Hex("x"), "x")[0];
  EXPECT_EQ(CheckChunk(chunk, "C2", 1 << 20).message(), "complaint_id: must be the record's key");
  v1::EvidenceChunk bad = chunk;
  bad.set_sha256("ABC");
  EXPECT_EQ(CheckChunk(bad, "C1", 1 << 20).message(), "sha256: 64 hex digits");
  bad = chunk;
  bad.set_index(1);
  EXPECT_EQ(CheckChunk(bad, "C1", 1 << 20).message(), "index: below count");
  bad = chunk;
  bad.set_count(100'000);
  EXPECT_EQ(CheckChunk(bad, "C1", 1 << 20).message(), "count: 1 to 6");
  bad = chunk;
  bad.set_data(std::string(kEvidenceChunkBytes + 1, 'x'));
  EXPECT_EQ(CheckChunk(bad, "C1", 1 << 20).message(), "data: at most 196608 bytes");
}

}  // namespace
}  // namespace complaints::intake
