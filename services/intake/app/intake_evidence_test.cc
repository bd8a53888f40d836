// §2.2 evidence upload and download over a real gRPC channel, and the
// evidence topic restoring a deleted store.
#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/runner/dead_letters.h"
#include "libs/runner/records.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/testing/events.h"
#include "services/intake/app/intake_families.h"
#include "services/intake/app/test_intake.h"
#include "services/intake/domain/evidence.h"
#include "services/intake/domain/personal_data.h"

namespace complaints::intake {
namespace {

using namespace complaints::testing;

// A JPEG-looking file of `size` bytes (the magic number, then a pattern).
std::string Photo(size_t size) {
  std::string bytes = "\xFF\xD8\xFF\xE0";
  while (bytes.size() < size) bytes += static_cast<char>(bytes.size() % 253);
  return bytes;
}

// The centre's manager, who may read any complaint's evidence.
v1::Actor Manager() {
  v1::Actor actor;
  actor.set_id("qian");
  actor.set_role("manager");
  return actor;
}

class EvidenceTest : public IntakeAppTest {
 protected:
  // Uploads `bytes` in chunks of `chunk` bytes as `key`.
  grpc::Status Upload(const std::string& complaint_id, const std::string& key,
                      const std::string& name, const std::string& bytes,
                      v1::AttachEvidenceResponse* answer, size_t chunk = 100 * 1024) {
    auto context = Call();
    auto writer = As("staff/li")->AttachEvidence(context.get(), answer);
    v1::AttachEvidenceRequest part;
    part.mutable_header()->set_idempotency_key(key);
    part.mutable_header()->set_complaint_id(complaint_id);
    part.mutable_header()->set_name(name);
    part.mutable_header()->set_description("the ceiling after the rain");
    writer->Write(part);
    for (size_t at = 0; at < bytes.size(); at += chunk) {
      part.set_chunk(bytes.substr(at, chunk));
      if (!writer->Write(part)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  // The file's bytes as GetEvidence streams them; its metadata in `attachment`.
  grpc::Status Download(const std::string& complaint_id, const std::string& sha256,
                        std::string* bytes, v1::Attachment* attachment, int* messages,
                        const std::string& identity = "staff/qian") {
    auto context = Call();
    v1::GetEvidenceRequest request;
    request.set_complaint_id(complaint_id);
    request.set_sha256(sha256);
    auto reader = As(identity)->GetEvidence(context.get(), request);
    v1::GetEvidenceResponse message;
    *messages = 0;
    while (reader->Read(&message)) {
      if (*messages == 0) *attachment = message.attachment();
      bytes->append(message.chunk());
      ++*messages;
    }
    return reader->Finish();
  }

  std::vector<OutboxRecord> EvidenceRecords() { return OutboxRecordsOf(topics::kEvidence); }
};

TEST_F(EvidenceTest, AnUploadIsKeptChunkedOnItsTopicAndComesBackByteForByte) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(Request("k1"), &submitted).ok());
  const std::string photo = Photo(600 * 1024);  // four records of 192 KiB at most
  v1::AttachEvidenceResponse answer;
  const grpc::Status uploaded =
      Upload(submitted.complaint_id(), "ev-1", "IMG_2041.heic", photo, &answer);
  ASSERT_TRUE(uploaded.ok()) << uploaded.error_message();
  EXPECT_EQ(answer.attachment().media_type(), "image/jpeg") << "read from the bytes, not the name";
  EXPECT_EQ(answer.attachment().size_bytes(), 600 * 1024);
  EXPECT_EQ(answer.attachment().sha256(), Sha256Hex(photo));

  const v1::Envelope event = Outboxed(*store_).back();
  ASSERT_TRUE(event.has_evidence_attached());
  EXPECT_EQ(event.evidence_attached().attachment().sha256(), Sha256Hex(photo));
  EXPECT_EQ(event.actor().id(), "li");
  std::vector<OutboxRecord> records = EvidenceRecords();
  ASSERT_EQ(records.size(), 4u);
  // §4.2 the bytes travel sealed under the complainant's key, chunk by chunk.
  std::string joined;
  for (const OutboxRecord& record : records) {
    EXPECT_EQ(record.key, submitted.complaint_id());
    EXPECT_LE(record.payload.size(), outbox_->max_record_bytes());
    v1::EvidenceChunk chunk;
    ASSERT_TRUE(chunk.ParseFromString(record.payload));
    ASSERT_FALSE(chunk.key_id().empty());
    EXPECT_EQ(chunk.data().find(photo.substr(chunk.index() * kEvidenceChunkBytes, 64)),
              std::string::npos)
        << "chunk " << chunk.index() << " holds the photo's bytes in clear";
    absl::StatusOr<SecretKey> key = keys_->Get(chunk.key_id());
    ASSERT_TRUE(key.ok()) << key.status();
    absl::StatusOr<std::string> opened =
        Open(*key, chunk.data(),
             EvidenceContext(submitted.complaint_id(), chunk.sha256(), chunk.index()));
    ASSERT_TRUE(opened.ok()) << opened.status();
    joined += *opened;
  }
  EXPECT_TRUE(joined == photo) << "the opened chunks are the photo";

  std::string bytes;
  v1::Attachment attachment;
  int messages = 0;
  ASSERT_TRUE(
      Download(submitted.complaint_id(), Sha256Hex(photo), &bytes, &attachment, &messages).ok());
  EXPECT_EQ(bytes, photo);
  EXPECT_EQ(messages, 4);
  EXPECT_EQ(attachment.name(), "IMG_2041.heic");

  // A handler fetches only the evidence of what they or their department
  // hold, as intake learns it from dispatch's topic.
  std::string theirs;
  const grpc::Status unheld = Download(submitted.complaint_id(), Sha256Hex(photo), &theirs,
                                       &attachment, &messages, "staff/eng.wang");
  EXPECT_EQ(unheld.error_code(), grpc::StatusCode::PERMISSION_DENIED) << unheld.error_message();
  ASSERT_TRUE(app_->applier()
                  .Apply({ConsumedOf(
                      topics::kDispatch,
                      complaints::testing::Assigned(submitted.complaint_id(), "engineering"), 0)})
                  .ok());
  ASSERT_TRUE(Download(submitted.complaint_id(), Sha256Hex(photo), &theirs, &attachment, &messages,
                       "staff/eng.wang")
                  .ok());
  EXPECT_EQ(theirs, photo);
  EXPECT_EQ(Download(submitted.complaint_id(), Sha256Hex(photo), &theirs, &attachment, &messages,
                     "staff/sec.chen")
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "security holds none of it";

  // The same file again, under a new key, records nothing new.
  const size_t events = Outboxed(*store_).size();
  ASSERT_TRUE(Upload(submitted.complaint_id(), "ev-2", "again.jpg", photo, &answer).ok());
  EXPECT_EQ(Outboxed(*store_).size(), events);
  EXPECT_EQ(EvidenceRecords().size(), 4u);
}

TEST_F(EvidenceTest, ABadUploadIsRefusedNamingWhatIsWrongAndRecordsNothing) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(Request("k1"), &submitted).ok());
  const std::string id = submitted.complaint_id();
  const size_t events = Outboxed(*store_).size();
  v1::AttachEvidenceResponse answer;
  grpc::Status program = Upload(id, "ev-1", "photo.jpg", "MZ\x90\x00 a Windows program", &answer);
  EXPECT_EQ(program.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(program.error_message(), ::testing::HasSubstr("chunk: the content is none of"));
  EXPECT_EQ(Upload(id, "ev-2", "empty.jpg", "", &answer).error_message(),
            "chunk: the file is empty");
  grpc::Status huge =
      Upload(id, "ev-3", "huge.jpg", Photo((25 << 20) + 200 * 1024), &answer, 250 * 1024);
  EXPECT_EQ(huge.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << huge.error_message();
  EXPECT_EQ(Upload(id, "ev-4", "", Photo(1000), &answer).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Upload("C404", "ev-5", "a.jpg", Photo(1000), &answer).error_code(),
            grpc::StatusCode::NOT_FOUND);
  {
    grpc::ClientContext stranger;
    auto writer = As("staff/stranger")->AttachEvidence(&stranger, &answer);
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    auto context = Call();
    auto writer = As("staff/li")->AttachEvidence(context.get(), &answer);
    v1::AttachEvidenceRequest chunk;
    chunk.set_chunk(Photo(100));
    writer->Write(chunk);
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_message(), "header: the first message must carry it");
  }
  EXPECT_EQ(Outboxed(*store_).size(), events);
  EXPECT_TRUE(EvidenceRecords().empty());

  std::string bytes;
  v1::Attachment attachment;
  int messages = 0;
  EXPECT_EQ(Download(id, std::string(64, 'a'), &bytes, &attachment, &messages).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Download(id, "short", &bytes, &attachment, &messages).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// Sends the header of an upload declaring `declared` bytes, then up to
// `body` bytes in 128 KiB chunks until the call ends; how many it got out.
size_t SendUntilRefused(v1::IntakeService::Stub& stub, const std::string& complaint_id,
                        const std::string& key, int64_t declared, size_t body,
                        grpc::Status* status) {
  grpc::ClientContext context;
  v1::AttachEvidenceResponse answer;
  auto writer = stub.AttachEvidence(&context, &answer);
  v1::AttachEvidenceRequest part;
  part.mutable_header()->set_idempotency_key(key);
  part.mutable_header()->set_complaint_id(complaint_id);
  part.mutable_header()->set_name("video.mp4");
  part.mutable_header()->set_size_bytes(declared);
  writer->Write(part);
  const std::string chunk = Photo(128 * 1024);
  size_t sent = 0;
  while (sent < body) {
    part.set_chunk(chunk);
    if (!writer->Write(part)) break;
    sent += chunk.size();
  }
  writer->WritesDone();
  *status = writer->Finish();
  return sent;
}

TEST_F(EvidenceTest, AnOversizedUploadIsRefusedFromItsHeaderAndNothingIsKept) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(Request("k1"), &submitted).ok());
  const std::string id = submitted.complaint_id();
  grpc::Status refused;
  const size_t body = 60u << 20;
  const size_t sent =
      SendUntilRefused(*As("staff/li"), id, "ev-big", int64_t{30} << 20, body, &refused);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refused.error_message(), "header.size_bytes: the file is larger than 26214400 bytes");
  EXPECT_LT(sent, body / 4) << "the call ended before the client had sent its body";
  // A declared size the bytes then exceed.
  v1::AttachEvidenceResponse answer;
  grpc::Status over;
  SendUntilRefused(*As("staff/li"), id, "ev-over", 300 * 1024, 1 << 20, &over);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(over.error_message(), "chunk: the file is larger than its declared 307200 bytes");
  EXPECT_TRUE(EvidenceRecords().empty());
  EXPECT_TRUE(std::filesystem::is_empty(UploadDir())) << "a refused upload leaves no spool file";
  // Declared and within it: kept, and the spool file goes.
  grpc::Status kept;
  SendUntilRefused(*As("staff/li"), id, "ev-fits", 512 * 1024, 512 * 1024, &kept);
  EXPECT_TRUE(kept.ok()) << kept.error_message();
  EXPECT_FALSE(EvidenceRecords().empty());
  EXPECT_TRUE(std::filesystem::is_empty(UploadDir()));
}

TEST_F(EvidenceTest, OneCallerHoldsAtMostEightUploadsAtOnce) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(Request("k1"), &submitted).ok());
  const std::string id = submitted.complaint_id();
  // Eight uploads begun and left open.
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientWriter<v1::AttachEvidenceRequest>>> open;
  v1::AttachEvidenceResponse answers[8];
  for (int i = 0; i < 8; ++i) {
    contexts.push_back(Call());
    open.push_back(As("staff/li")->AttachEvidence(contexts.back().get(), &answers[i]));
    v1::AttachEvidenceRequest part;
    part.mutable_header()->set_idempotency_key("open-" + std::to_string(i));
    part.mutable_header()->set_complaint_id(id);
    part.mutable_header()->set_name("photo.jpg");
    ASSERT_TRUE(open.back()->Write(part));
  }
  // The ninth is refused once the eight are in; another caller's is not.
  grpc::Status ninth;
  const absl::Time until = complaints::WallNow() + absl::Seconds(10);
  do {
    SendUntilRefused(*As("staff/li"), id, "ninth", 0, 128 * 1024, &ninth);
  } while (ninth.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED &&
           complaints::WallNow() < until);
  EXPECT_EQ(ninth.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << ninth.error_message();
  EXPECT_THAT(ninth.error_message(), ::testing::HasSubstr("the limit per caller"));
  grpc::Status other;
  SendUntilRefused(*As("staff/zhou"), id, "other", 0, 128 * 1024, &other);
  EXPECT_TRUE(other.ok()) << other.error_message();
  for (auto& context : contexts) context->TryCancel();
  for (auto& writer : open) writer->Finish();
}

TEST_F(EvidenceTest, TheTopicsRecordsRestoreTheFilesOfADeletedStore) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(Request("k1"), &submitted).ok());
  const std::string photo = Photo(300 * 1024);
  v1::AttachEvidenceResponse answer;
  ASSERT_TRUE(Upload(submitted.complaint_id(), "ev-1", "a.jpg", photo, &answer).ok());
  std::vector<ConsumedRecord> consumed;
  for (const OutboxRecord& record : EvidenceRecords()) {
    consumed.push_back(
        {record.topic, 0, static_cast<int64_t>(consumed.size()), record.key, record.payload});
  }
  consumed.push_back({std::string(topics::kEvidence), 0, 2, "C1", "\xff garbage"});
  // Intake's, but filed under another complaint; and one intake never wrote.
  v1::EvidenceChunk misfiled = ChunkEvidence("C1", Sha256Hex("x"), "x")[0];
  consumed.push_back(
      {std::string(topics::kEvidence), 0, 3, "C2",
       complaints::testing::SignedFor(topics::kEvidence, "C2", misfiled.SerializeAsString())});
  consumed.push_back({std::string(topics::kEvidence), 0, 4, "C1", misfiled.SerializeAsString()});

  TempDir other;
  auto store = *Store::Open(other.Sub("db"), Store::kDefaultPartitions, intake::kFamilies);
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
  auto dead_letters = *DeadLetters::Open(store.get());
  DataKeys keys(store.get(), TestKeyRing(), &clock_);
  ASSERT_TRUE(keys.Apply(ConsumedOfTopic(topics::kKeys), nullptr,
                         *complaints::testing::TestAuthority(v1::WRITER_INTAKE))
                  .ok());
  IntakeApp rebuilt(
      IntakeAppOptions{.parts = {store.get(), outbox.get(), dead_letters.get(), &clock_},
                       .ids = &ids_,
                       .classifier = &classifier_,
                       .verification = &verification_,
                       .keys = &keys});
  ASSERT_TRUE(rebuilt.ApplyEvidence(consumed).ok());
  std::string bytes;
  v1::GetEvidenceRequest request;
  request.set_complaint_id(submitted.complaint_id());
  request.set_sha256(Sha256Hex(photo));
  ASSERT_TRUE(rebuilt
                  .GetEvidence(request, Manager(),
                               [&](const v1::GetEvidenceResponse& message) {
                                 bytes += message.chunk();
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(bytes, photo);
  EXPECT_EQ(dead_letters->by_kind(),
            (std::map<std::string, uint64_t>{{"DEAD_LETTER_KIND_UNDECODABLE", 1},
                                             {"DEAD_LETTER_KIND_FAILED_CHECK", 1},
                                             {"DEAD_LETTER_KIND_FORGED", 1}}));
  EXPECT_EQ(*store->Get(Family::kOffsets, OffsetKey(topics::kEvidence, 0)), "5");

  // A later record naming the same file with other bytes changes nothing.
  v1::EvidenceChunk altered;
  ASSERT_TRUE(altered.ParseFromString(consumed[0].payload));
  altered.set_data(Photo(altered.data().size() - 1) + "!");
  ASSERT_TRUE(rebuilt
                  .ApplyEvidence({{std::string(topics::kEvidence), 0, 4, submitted.complaint_id(),
                                   altered.SerializeAsString()}})
                  .ok());
  std::string again;
  ASSERT_TRUE(rebuilt
                  .GetEvidence(request, Manager(),
                               [&](const v1::GetEvidenceResponse& message) {
                                 again += message.chunk();
                                 return true;
                               })
                  .ok());
  EXPECT_TRUE(again == photo) << "the kept bytes stay";
}

}  // namespace
}  // namespace complaints::intake
