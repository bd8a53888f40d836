// Only a writer can write (docs/architecture.md invariant 8): records signed with the
// writer's own key verify; anything else — unsigned, altered, signed by
// another writer or moved to another key or topic — does not.
#include "libs/runner/record_auth.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

using ::testing::HasSubstr;
using testing::TestAuthority;

ConsumedRecord Record(absl::string_view topic, std::string payload, int64_t offset = 7,
                      std::string key = "C1") {
  return {std::string(topic), 3, offset, std::move(key), std::move(payload)};
}

std::string Body() {
  v1::Envelope event;
  event.set_complaint_id("C1");
  event.set_writer(v1::WRITER_INTAKE);
  event.set_sequence(2);
  event.mutable_withdrawn()->set_reason("fixed");
  return event.SerializeAsString();
}

std::string Refusal(const RecordAuthority& authority, const ConsumedRecord& record) {
  return std::string(authority.Verify(record).message());
}

TEST(RecordAuthority, TheWritersSignatureVerifiesAndTheRecordStillParses) {
  const auto intake = TestAuthority(v1::WRITER_INTAKE);
  const std::string signed_bytes = intake->Sign(topics::kIntake, "C1", Body());
  EXPECT_TRUE(
      TestAuthority(v1::WRITER_TRACKING)->Verify(Record(topics::kIntake, signed_bytes)).ok());
  v1::Envelope event;
  ASSERT_TRUE(event.ParseFromString(signed_bytes));
  EXPECT_TRUE(event.has_withdrawn());
  EXPECT_EQ(event.auth().key_id(), "test-intake-1");
}

TEST(RecordAuthority, ForgeriesAreRefusedWithTheReason) {
  const auto reader = TestAuthority(v1::WRITER_TRACKING);
  // Well-formed, but unsigned: what a stolen Kafka credential can write.
  EXPECT_THAT(Refusal(*reader, Record(topics::kIntake, Body())),
              HasSubstr("not authenticated by intake"));
  // Signed by another writer's key.
  const std::string by_dispatch =
      TestAuthority(v1::WRITER_DISPATCH)->Sign(topics::kIntake, "C1", Body());
  EXPECT_THAT(Refusal(*reader, Record(topics::kIntake, by_dispatch)),
              HasSubstr("not one of intake's keys"));
  // Altered after signing, moved to another key, or to another topic.
  std::string altered = TestAuthority(v1::WRITER_INTAKE)->Sign(topics::kIntake, "C1", Body());
  altered[altered.find("fixed")] = 'F';
  EXPECT_THAT(Refusal(*reader, Record(topics::kIntake, altered)),
              HasSubstr("does not authenticate as intake's"));
  const std::string good = TestAuthority(v1::WRITER_INTAKE)->Sign(topics::kIntake, "C1", Body());
  EXPECT_THAT(Refusal(*reader, Record(topics::kIntake, good, 7, "C2")),
              HasSubstr("does not authenticate"));
  EXPECT_THAT(Refusal(*reader, Record(topics::kEvidence, good)),
              HasSubstr("does not authenticate"));
  // Bytes appended after the authentication: it is not the last field.
  EXPECT_THAT(Refusal(*reader, Record(topics::kIntake, good + "\x0a\x01x")),
              HasSubstr("not authenticated by intake"));
  // A topic no writer owns.
  EXPECT_THAT(Refusal(*reader, Record("other.topic", good)), HasSubstr("has no writer"));
}

TEST(RecordAuthority, RecordsFromBeforeTheUpgradeAreAcceptedBelowTheRecordedOffsetOnly) {
  v1::UnauthenticatedRecords legacy;
  v1::PartitionBound& bound = *legacy.add_partitions();
  bound.set_topic(std::string(topics::kIntake));
  bound.set_partition(3);
  bound.set_below_offset(100);
  const auto reader =
      *RecordAuthority::Create(v1::WRITER_TRACKING, testing::TestWriterKeys(), legacy);
  EXPECT_TRUE(reader->Verify(Record(topics::kIntake, Body(), 99)).ok());
  EXPECT_THAT(Refusal(*reader, Record(topics::kIntake, Body(), 100)),
              HasSubstr("at offset 100 or later must be"));
  ConsumedRecord other_partition = Record(topics::kIntake, Body(), 5);
  other_partition.partition = 4;
  EXPECT_FALSE(reader->Verify(other_partition).ok());
  bound.set_topic("not.ours");
  EXPECT_THAT(
      std::string(RecordAuthority::Create(v1::WRITER_TRACKING, testing::TestWriterKeys(), legacy)
                      .status()
                      .message()),
      HasSubstr("is no platform topic"));
}

TEST(RecordAuthority, TheAuthenticationIsFoundFromTheEndWithoutParsingTheBody) {
  const std::string body = "not a protobuf message \xff\xff";
  const std::string signed_bytes =
      TestAuthority(v1::WRITER_INTAKE)->Sign(topics::kEvidence, "C1", body);
  const std::optional<SignedRecord> split = SplitSigned(signed_bytes);
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->body, body);
  EXPECT_EQ(split->key_id, "test-intake-1");
  EXPECT_TRUE(
      TestAuthority(v1::WRITER_TRACKING)->Verify(Record(topics::kEvidence, signed_bytes)).ok());
  EXPECT_FALSE(SplitSigned(body).has_value());
  EXPECT_FALSE(SplitSigned("").has_value());
}

// SplitSigned as protobuf read it before the hand-written reader: the
// trailer's body parsed as an Authentication, and accepted only when it
// serializes back to the same trailer (and, as a writer signs, has a key id
// and a 32-byte MAC).
std::optional<std::pair<std::string, std::string>> SplitByProtobuf(absl::string_view payload) {
  for (size_t length = 0; length <= 127 && length + 3 <= payload.size(); ++length) {
    const size_t at = payload.size() - length - 3;
    if (payload.substr(at, 2) != "\xC2\x3E" ||
        static_cast<unsigned char>(payload[at + 2]) != length) {
      continue;
    }
    v1::AuthenticatedRecord trailer;
    if (!trailer.mutable_auth()->ParseFromArray(payload.data() + at + 3,
                                                static_cast<int>(length)) ||
        trailer.SerializeAsString() != payload.substr(at) || trailer.auth().key_id().empty() ||
        trailer.auth().mac().size() != 32) {
      continue;
    }
    return std::pair{trailer.auth().key_id(), trailer.auth().mac()};
  }
  return std::nullopt;
}

TEST(RecordAuthority, TheTrailerIsReadAsProtobufReadsItInEveryForm) {
  std::mt19937 random(26);
  auto bytes = [&](size_t max, bool ascii) {
    std::string out(std::uniform_int_distribution<size_t>(0, max)(random), '\0');
    for (char& c : out) {
      c = static_cast<char>(ascii ? std::uniform_int_distribution<int>('a', 'z')(random)
                                  : std::uniform_int_distribution<int>(0, 255)(random));
    }
    return out;
  };
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    // Fields in either order, of any length (empty, past one length byte),
    // unknown ones, and key ids that are not UTF-8.
    v1::Authentication auth;
    auth.set_key_id(bytes(i % 7 == 0 ? 140 : 20, i % 5 != 0));
    auth.set_mac(i % 2 == 0 ? bytes(32, false).append(32, 'm').substr(0, 32)
                            : bytes(i % 11 == 0 ? 140 : 40, false));
    std::string fields = auth.SerializePartialAsString();
    if (i % 13 == 0) fields = absl::StrCat(auth.mac().empty() ? "" : "\x12\x01x", fields);
    if (i % 17 == 0) fields += "\x18\x01";  // field 3, a varint
    if (i % 23 == 0)
      fields +=
          "\x22\x02"
          "ab";                                 // field 4, bytes
    if (i % 29 == 0) fields += "\x08\x05";      // field 1, not bytes
    if (i % 31 == 0) fields += "\x18\x81\x00";  // an overlong varint
    if (i % 37 == 0)
      fields +=
          "\x0A\x01"
          "k";                                                   // key_id again
    if (i % 41 == 0) fields = absl::StrCat("\x18\x01", fields);  // before the known
    std::string trailer =
        absl::StrCat("\xC2\x3E", std::string(1, static_cast<char>(fields.size())), fields);
    if (i % 19 == 0) trailer = trailer.substr(0, trailer.size() / 2);
    const std::string payload = absl::StrCat(i % 3 == 0 ? Body() : bytes(30, false), trailer);
    const auto expected = SplitByProtobuf(payload);
    const std::optional<SignedRecord> split = SplitSigned(payload);
    ASSERT_EQ(split.has_value(), expected.has_value()) << i;
    if (!split.has_value()) continue;
    ++accepted;
    EXPECT_EQ(split->key_id, expected->first) << i;
    EXPECT_EQ(split->mac, expected->second) << i;
    EXPECT_EQ(split->body, payload.substr(0, split->body.size())) << i;
  }
  EXPECT_GT(accepted, 5000) << "most trailers are well formed";
}

TEST(RecordAuthority, AMacEndingLikeAShortTrailerDoesNotHideTheRealOne) {
  // The last bytes of a MAC are random: once in 16.7 million records they
  // read C2 3E 00, an empty Authentication, and a few more ways they read as
  // one holding a field of a later release.
  for (const std::string& tail :
       {std::string("\xC2\x3E\x00", 3), std::string("\xC2\x3E\x02\x18\x05"),
        std::string("\xC2\x3E\x03\x0A\x01"
                    "k")}) {
    const std::string mac = std::string(32 - tail.size(), 'm') + tail;
    v1::Authentication auth;
    auth.set_key_id("test-intake-1");
    auth.set_mac(mac);
    v1::AuthenticatedRecord trailer;
    *trailer.mutable_auth() = auth;
    const std::string payload = Body() + trailer.SerializeAsString();
    const std::optional<SignedRecord> split = SplitSigned(payload);
    ASSERT_TRUE(split.has_value());
    EXPECT_EQ(split->key_id, "test-intake-1");
    EXPECT_EQ(split->mac, mac);
    EXPECT_EQ(split->body, Body());
  }
}

TEST(RecordAuthority, ATombstoneHasNothingToVerify) {
  ConsumedRecord tombstone = Record(topics::kKeys, "");
  tombstone.tombstone = true;
  EXPECT_TRUE(TestAuthority(v1::WRITER_INTAKE)->Verify(tombstone).ok());
}

TEST(WriterKeyring, LoadsEachWritersFileCurrentKeyFirstAndKeepsOldOnesForReading) {
  testing::TempDir dir;
  const std::string hex(64, 'a'), other(64, 'b');
  for (const char* writer : {"intake", "dispatch", "tracking", "analytics"}) {
    std::ofstream(dir.Sub(std::string(writer) + ".keys")) << writer << "-2 " << hex << "\n"
                                                          << writer << "-1 " << other << "\n";
  }
  absl::StatusOr<WriterKeyring> ring = WriterKeyring::Load(dir.path());
  ASSERT_TRUE(ring.ok()) << ring.status();
  EXPECT_EQ(ring->keys[v1::WRITER_DISPATCH].front().id, "dispatch-2");
  // Rotated: signed with the old key, still readable.
  WriterKeyring old_first = *ring;
  std::swap(old_first.keys[v1::WRITER_INTAKE][0], old_first.keys[v1::WRITER_INTAKE][1]);
  const std::string old_signed =
      (*RecordAuthority::Create(v1::WRITER_INTAKE, old_first))->Sign(topics::kIntake, "C1", Body());
  EXPECT_TRUE((*RecordAuthority::Create(v1::WRITER_TRACKING, *ring))
                  ->Verify(Record(topics::kIntake, old_signed))
                  .ok());
  std::ofstream(dir.Sub("tracking.keys"), std::ios::trunc) << "\n";
  EXPECT_THAT(std::string(WriterKeyring::Load(dir.path()).status().message()),
              HasSubstr("tracking.keys: no key in it"));
  std::ofstream(dir.Sub("tracking.keys"), std::ios::trunc) << "t-1 " << hex << "\nt-1 " << other;
  EXPECT_THAT(std::string(WriterKeyring::Load(dir.path()).status().message()),
              HasSubstr("key id t-1 appears twice"));
  std::filesystem::remove(dir.Sub("analytics.keys"));
  EXPECT_FALSE(WriterKeyring::Load(dir.path()).ok());
}

}  // namespace
}  // namespace complaints
