// §4.2 personal data in the intake shell: sealed before it is stored or
// published, unsealed only for roles that read it (and audited), exported
// for the complainant, destroyed by erasure, re-wrapped when the KEK turns.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "services/intake/app/intake_families.h"
#include "services/intake/app/test_intake.h"
#include "services/intake/domain/personal_data.h"

namespace complaints::intake {
namespace {

using complaints::testing::ConsumedOf;
using complaints::testing::Outboxed;
using ::testing::HasSubstr;

constexpr char kName[] = "张伟";
constexpr char kPhone[] = "13800138000";
constexpr char kIdNumber[] = "11010519491231002X";

class PersonalDataTest : public IntakeAppTest {
 protected:
  std::string SubmitOne(const std::string& key, const std::string& phone = kPhone) {
    v1::SubmitComplaintRequest request = Request(key);
    request.mutable_complainant()->set_phone(phone);
    request.mutable_complainant()->set_identity_type(v1::IDENTITY_TYPE_RESIDENT_ID_CARD);
    request.mutable_complainant()->set_identity_number(kIdNumber);
    request.set_content(absl::StrCat("楼上漏水到我家厨房，请回电 ", phone, "，", kName));
    v1::SubmitComplaintResponse response;
    const grpc::Status status = Submit(request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.complaint_id();
  }

  grpc::Status Read(const std::string& identity, const std::string& complaint_id,
                    const std::string& reason, v1::GetPersonalDataResponse* out) {
    v1::GetPersonalDataRequest request;
    request.set_complaint_id(complaint_id);
    request.set_reason(reason);
    return As(identity)->GetPersonalData(Call().get(), request, out);
  }

  grpc::Status Erase(const std::string& complaint_id) {
    v1::RequestErasureRequest request;
    request.set_idempotency_key("erase-" + complaint_id);
    request.set_complaint_id(complaint_id);
    request.set_reason("the complainant asked (PIPL art. 47)");
    v1::RequestErasureResponse response;
    return As("staff/qian")->RequestErasure(Call().get(), request, &response);
  }

  // Every byte the store holds, in every family, as one string.
  std::string EverythingStored() {
    std::string all;
    for (const Family& family : store_->families()) {
      (void)store_->Scan(family, "", "", SIZE_MAX,
                         [&](absl::string_view key, absl::string_view value) {
                           absl::StrAppend(&all, key, "\n", value, "\n");
                           return true;
                         });
    }
    return all;
  }

  // Every byte of every file under the store's directory.
  std::string EveryStoreFile() {
    std::string all;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.Sub("db"))) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      all += bytes.str();
    }
    return all;
  }
};

TEST_F(PersonalDataTest, ASubmissionIsSealedBeforeItIsStoredOrPublished) {
  const std::string id = SubmitOne("k1");
  const std::string stored = EverythingStored();
  for (const std::string& secret :
       {std::string(kName), std::string(kPhone), std::string("+86") + kPhone,
        std::string(kIdNumber), std::string("1102")}) {
    EXPECT_EQ(stored.find(secret), std::string::npos) << secret << " is stored in clear";
  }
  const v1::Envelope received = Outboxed(*store_).front();
  ASSERT_TRUE(received.has_received());
  const v1::ComplaintReceived& event = received.received();
  EXPECT_TRUE(event.complainant().name().empty());
  EXPECT_TRUE(event.content().empty());
  EXPECT_TRUE(event.location().unit().empty());
  EXPECT_EQ(event.location().community(), "阳光花园") << "the place stays for routing";
  EXPECT_EQ(event.redacted_content(), "楼上漏水到我家厨房,请回电 [phone],[name]")
      << "the matter stays readable for routing and figures, the caller's details masked";
  EXPECT_EQ(event.subject_id().size(), 64u);
  EXPECT_THAT(event.personal().key_id(), ::testing::StartsWith(event.subject_id() + "."));
  const std::vector<OutboxRecord> keys = OutboxRecordsOf(topics::kKeys);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].key, event.personal().key_id());

  // The same caller is the same subject under the same key; another is not.
  const std::string again = SubmitOne("k2");
  const std::string other = SubmitOne("k3", "13900139000");
  const std::vector<v1::Envelope> events = Outboxed(*store_);
  std::map<std::string, std::string> subject_of;
  for (const v1::Envelope& e : events) {
    if (e.has_received()) subject_of[e.complaint_id()] = e.received().subject_id();
  }
  EXPECT_EQ(subject_of[again], subject_of[id]);
  EXPECT_NE(subject_of[other], subject_of[id]);
  EXPECT_EQ(OutboxRecordsOf(topics::kKeys).size(), 2u) << "one key per complainant";
}

TEST_F(PersonalDataTest, OnlyRolesThatReadPersonalDataGetItAndEveryReadIsRecorded) {
  const std::string id = SubmitOne("k1");
  v1::GetPersonalDataResponse clerk;
  ASSERT_TRUE(Read("staff/li", id, "calling back to verify", &clerk).ok());
  EXPECT_EQ(clerk.personal().complainant().name(), kName);
  EXPECT_EQ(clerk.personal().complainant().phone(), std::string("+86") + kPhone);
  EXPECT_EQ(clerk.personal().unit(), "1102");
  EXPECT_EQ(clerk.personal().complainant().identity_number(), kRedacted)
      << "a clerk does not read the ID number";
  v1::GetPersonalDataResponse manager;
  ASSERT_TRUE(Read("staff/qian", id, "complaint to the regulator", &manager).ok());
  EXPECT_EQ(manager.personal().complainant().identity_number(), kIdNumber);

  const v1::Envelope read = Outboxed(*store_).back();
  ASSERT_TRUE(read.has_personal_data_read());
  EXPECT_EQ(read.actor().id(), "qian");
  EXPECT_EQ(read.complaint_id(), id);
  EXPECT_EQ(read.personal_data_read().reason(), "complaint to the regulator");
  EXPECT_THAT(read.personal_data_read().fields(),
              ::testing::Contains("complainant.identity_number"));

  v1::GetPersonalDataResponse refused;
  grpc::Status status = Read("staff/he", id, "curious", &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << "an analyst";
  EXPECT_THAT(status.error_message(), HasSubstr("personal.contact.read"));
  status = Read("staff/luo", id, "audit", &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << "an auditor";
  status = Read("staff/eng.zhang", id, "not mine", &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << "a handler of a complaint nobody assigned them";
  status = Read("staff/li", id, "", &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("reason"));
  const size_t events = Outboxed(*store_).size();
  status = Read("staff/li", "C-unknown", "x", &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Outboxed(*store_).size(), events) << "a refused read records nothing";
}

TEST_F(PersonalDataTest, TheExportGivesOneComplainantEverythingHeldAboutThem) {
  const std::string first = SubmitOne("k1");
  const std::string second = SubmitOne("k2");
  (void)SubmitOne("k3", "13900139000");
  v1::ExportPersonalDataRequest request;
  request.set_complaint_id(second);
  request.set_reason("subject access request of 2026-11-27");
  v1::ExportPersonalDataResponse exported;
  grpc::Status status = As("staff/qian")->ExportPersonalData(Call().get(), request, &exported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(exported.complaints_size(), 2) << "both of theirs, nobody else's";
  std::set<std::string> ids;
  for (const v1::SubjectComplaint& complaint : exported.complaints()) {
    ids.insert(complaint.complaint_id());
    EXPECT_EQ(complaint.personal().complainant().identity_number(), kIdNumber);
    EXPECT_EQ(complaint.intake().category(), "plumbing");
  }
  EXPECT_EQ(ids, (std::set<std::string>{first, second}));
  int recorded = 0;
  for (const v1::Envelope& event : Outboxed(*store_)) {
    recorded += event.has_personal_data_read() && event.personal_data_read().export_();
  }
  EXPECT_EQ(recorded, 2);
  status = As("staff/li")->ExportPersonalData(Call().get(), request, &exported);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << "a clerk";
}

TEST_F(PersonalDataTest, ErasureDestroysTheKeySoNothingOfThemOpensAnywhere) {
  const std::string first = SubmitOne("k1");
  const std::string second = SubmitOne("k2");
  const std::string other = SubmitOne("k3", "13900139000");
  const std::string wrapped = [&] {
    v1::DataKeyRecord record;
    EXPECT_TRUE(record.ParseFromString(OutboxRecordsOf(topics::kKeys)[0].payload));
    return record.wrapped();
  }();
  ASSERT_NE(EveryStoreFile().find(wrapped), std::string::npos) << "the probe finds the key";
  // What the relay does once Kafka has the records: the outbox lets them go.
  Batch published;
  (void)store_->Scan(Family::kOutbox, "", "", SIZE_MAX, [&](absl::string_view key, auto) {
    published.Delete(Family::kOutbox, key);
    return true;
  });
  ASSERT_TRUE(store_->Write(published, Durability::kSynced).ok());
  ASSERT_TRUE(Erase(first).ok());

  v1::GetPersonalDataResponse read;
  for (const std::string& id : {first, second}) {
    const grpc::Status status = Read("staff/qian", id, "after erasure", &read);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << id;
    EXPECT_THAT(status.error_message(), HasSubstr("erased"));
  }
  EXPECT_TRUE(Read("staff/qian", other, "another complainant", &read).ok());
  const std::vector<OutboxRecord> keys = OutboxRecordsOf(topics::kKeys);
  ASSERT_FALSE(keys.empty());
  EXPECT_TRUE(keys.back().tombstone) << "the key topic gets the key's tombstone";
  const v1::Envelope erased = [&] {
    for (const v1::Envelope& event : Outboxed(*store_)) {
      if (event.has_erasure_requested()) return event;
    }
    return v1::Envelope();
  }();
  ASSERT_EQ(erased.erasure_requested().erased_key_ids_size(), 1);
  EXPECT_EQ(erased.erasure_requested().erased_key_ids(0), keys.back().key);
  // Repeated once its segment is due to roll (an hour, the topic's
  // segment.ms) and twice more, so a quiet key topic still rolls it; the
  // schedule is in the store, so a restarted intake keeps it.
  EXPECT_EQ(*keys_->RepeatTombstones(outbox_.get()), 0u) << "not due yet";
  clock_.Advance(absl::Hours(1));
  DataKeys restarted(store_.get(), TestKeyRing(), &clock_);
  EXPECT_EQ(*restarted.RepeatTombstones(outbox_.get()), 1u);
  EXPECT_EQ(OutboxRecordsOf(topics::kKeys).back().key, keys.back().key);
  EXPECT_TRUE(OutboxRecordsOf(topics::kKeys).back().tombstone);
  EXPECT_EQ(*restarted.RepeatTombstones(outbox_.get()), 0u) << "a minute apart";
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(*restarted.RepeatTombstones(outbox_.get()), 1u);
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(*restarted.RepeatTombstones(outbox_.get()), 1u);
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(*restarted.RepeatTombstones(outbox_.get()), 0u) << "three times, then no more";
  EXPECT_EQ(EveryStoreFile().find(wrapped), std::string::npos)
      << "the wrapped key is still in intake's files after the erasure's compaction";

  v1::ExportPersonalDataRequest request;
  request.set_complaint_id(second);
  request.set_reason("subject access after erasure");
  v1::ExportPersonalDataResponse exported;
  ASSERT_TRUE(As("staff/qian")->ExportPersonalData(Call().get(), request, &exported).ok());
  ASSERT_EQ(exported.complaints_size(), 2);
  for (const v1::SubjectComplaint& complaint : exported.complaints()) {
    EXPECT_TRUE(complaint.erased());
    EXPECT_FALSE(complaint.has_personal());
  }
}

TEST_F(PersonalDataTest, ARestoredOlderCopyLosesTheErasedKeyAgainFromTheTopics) {
  const std::string id = SubmitOne("k1");
  const std::string copy = dir_.Sub("backup");
  ASSERT_TRUE(store_->Checkpoint(copy).ok());
  ASSERT_TRUE(Erase(id).ok());

  // The older copy holds the key. A tombstone alone does not delete it:
  // only one matching an erasure intake recorded does (else anyone with the
  // key topic's Kafka credentials could erase a complainant's data).
  const std::string key_id = OutboxRecordsOf(topics::kKeys).front().key;
  {
    auto restored = *Store::Open(copy, Store::kDefaultPartitions, intake::kFamilies);
    DataKeys keys(restored.get(), TestKeyRing(), &clock_);
    ASSERT_TRUE(keys.Get(key_id).ok());
    ASSERT_TRUE(keys.Apply(ConsumedOfTopic(topics::kKeys), nullptr,
                           *complaints::testing::TestAuthority(v1::WRITER_INTAKE))
                    .ok());
    EXPECT_TRUE(keys.Get(key_id).ok());
  }
  // Intake's own topic (kept forever, read back first) carries the erasure,
  // which deletes the key again; the tombstone then agrees with it.
  auto restored = *Store::Open(copy, Store::kDefaultPartitions, intake::kFamilies);
  auto outbox =
      *Outbox::Open(restored.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
  DataKeys keys(restored.get(), TestKeyRing(), &clock_);
  IntakeApp app({.parts = {restored.get(), outbox.get(), nullptr, &clock_},
                 .ids = &ids_,
                 .classifier = &classifier_,
                 .verification = &verification_,
                 .keys = &keys});
  std::vector<ConsumedRecord> records;
  for (const v1::Envelope& event : Outboxed(*store_)) {
    records.push_back(ConsumedOf(topics::kIntake, event, static_cast<int64_t>(records.size())));
  }
  ASSERT_TRUE(app.applier().Apply(records).ok());
  EXPECT_EQ(keys.Get(key_id).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(*keys.Erased(key_id));
  auto letters = *DeadLetters::Open(restored.get());
  ASSERT_TRUE(keys.Apply(ConsumedOfTopic(topics::kKeys), letters.get(),
                         *complaints::testing::TestAuthority(v1::WRITER_INTAKE))
                  .ok());
  EXPECT_EQ(letters->total(), 1u) << "the key's record is not brought back; its tombstone agrees";
  EXPECT_EQ(keys.Get(key_id).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(PersonalDataTest, ANewKekRewrapsEveryDataKeyAndTheOldOneCanThenGo) {
  const std::string id = SubmitOne("k1");
  (void)SubmitOne("k2", "13900139000");
  const size_t published = OutboxRecordsOf(topics::kKeys).size();
  DataKeys rotated(store_.get(), TestKeyRing(std::string(kTestRotatedKek) + std::string(kTestKek)),
                   &clock_);
  absl::StatusOr<size_t> rewrapped = rotated.Rewrap(outbox_.get());
  ASSERT_TRUE(rewrapped.ok()) << rewrapped.status();
  EXPECT_EQ(*rewrapped, 2u);
  EXPECT_EQ(*rotated.Rewrap(outbox_.get()), 0u) << "nothing is left under the old KEK";
  EXPECT_EQ(OutboxRecordsOf(topics::kKeys).size(), published + 2)
      << "the re-wrapped keys go to the key topic";

  // Only the new KEK now: every key still opens.
  DataKeys only_new(store_.get(), TestKeyRing(kTestRotatedKek), &clock_);
  for (const OutboxRecord& record : OutboxRecordsOf(topics::kKeys)) {
    EXPECT_TRUE(only_new.Get(record.key).ok()) << record.key;
  }
  // And an old KEK alone opens nothing.
  DataKeys only_old(store_.get(), TestKeyRing(kTestKek), &clock_);
  EXPECT_EQ(only_old.Get(OutboxRecordsOf(topics::kKeys).front().key).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(PersonalDataTest, ForgedKeyRecordsAndTombstonesAreDeadLettersAndEraseNothing) {
  const std::string id = SubmitOne("k1");
  const OutboxRecord key = OutboxRecordsOf(topics::kKeys).front();
  const int32_t home = PartitionOf(key.key, store_->partitions());
  DataKeys keys(store_.get(), TestKeyRing(), &clock_);
  const auto& authority = *complaints::testing::TestAuthority(v1::WRITER_INTAKE);
  ConsumedRecord unsigned_record{std::string(topics::kKeys), home, 5, key.key, "", false};
  v1::DataKeyRecord parsed;
  ASSERT_TRUE(parsed.ParseFromString(key.payload));
  parsed.clear_auth();
  unsigned_record.payload = parsed.SerializeAsString();
  std::vector<ConsumedRecord> records = {
      {std::string(topics::kKeys), 0, 0, "x", "\xff", false},
      {std::string(topics::kKeys), 0, 1, "bad-id", "", true},
      {std::string(topics::kKeys), 0, 2, std::string(64, 'a') + ".0000000g", "", true},
      // A live key's tombstone, no erasure recorded: on its own partition and on another.
      {std::string(topics::kKeys), home, 3, key.key, "", true},
      {std::string(topics::kKeys), (home + 1) % store_->partitions(), 4, key.key, "", true},
      // Its record again, without intake's authentication.
      unsigned_record};
  ASSERT_TRUE(keys.Apply(records, letters_.get(), authority).ok());
  EXPECT_EQ(letters_->total(), 6u);
  const v1::ListDeadLettersResponse listed = *letters_->List(0, "");
  std::map<std::string, std::string> reasons;
  for (const v1::DeadLetter& letter : listed.dead_letters()) reasons[letter.id()] = letter.reason();
  EXPECT_THAT(reasons[absl::StrCat(topics::kKeys, ":", home, ":3")],
              HasSubstr("which no erasure intake recorded names"));
  EXPECT_THAT(reasons[absl::StrCat(topics::kKeys, ":", (home + 1) % store_->partitions(), ":4")],
              HasSubstr("which belongs on partition"));
  EXPECT_THAT(reasons[absl::StrCat(topics::kKeys, ":", home, ":5")],
              HasSubstr("not authenticated by intake"));
  v1::GetPersonalDataResponse read;
  EXPECT_TRUE(Read("staff/qian", id, "the data is still there", &read).ok());
}

}  // namespace
}  // namespace complaints::intake
