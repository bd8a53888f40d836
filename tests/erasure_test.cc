// §4.2 erasure by crypto-shredding across the running platform: after a
// complainant's erasure their data opens nowhere, their data key is gone from
// the key topic's segments, from intake's files and from an older backup of
// intake restored afterwards, no byte of their name, phone number or ID
// number is anywhere in clear — while their complaint's timeline and the
// figures stay as they were.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/runner/topics.h"
#include "libs/testing/eventually.h"
#include "tests/cluster.h"
#include "tests/scenario.h"

namespace complaints::testing {
namespace {

constexpr char kName[] = "王芳";
constexpr char kPhone[] = "13800138000";
constexpr char kIdNumber[] = "11010519491231002X";

v1::SubmitComplaintRequest Complaint(const std::string& key, const std::string& name,
                                     const std::string& phone, const std::string& id_number) {
  v1::SubmitComplaintRequest request;
  request.set_idempotency_key(key);
  request.set_channel(v1::CHANNEL_PHONE);
  request.mutable_complainant()->set_name(name);
  request.mutable_complainant()->set_phone(phone);
  if (!id_number.empty()) {
    request.mutable_complainant()->set_identity_type(v1::IDENTITY_TYPE_RESIDENT_ID_CARD);
    request.mutable_complainant()->set_identity_number(id_number);
  }
  request.set_content("楼上漏水到我家厨房，请回电 " + phone);
  request.mutable_location()->set_community("阳光花园");
  request.mutable_location()->set_building("3");
  request.mutable_location()->set_unit("1202");
  return request;
}

// Where `needle` occurs in the files under `root` (the paths), skipping the
// cluster's own key files.
std::vector<std::string> FilesHolding(const std::string& root, const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           root, std::filesystem::directory_options::skip_permission_denied)) {
    if (!entry.is_regular_file()) continue;
    if (entry.path().string().find("/keys/") != std::string::npos) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (bytes.str().find(needle) != std::string::npos) found.push_back(entry.path().string());
  }
  return found;
}

grpc::StatusCode ReadPersonal(Cluster& cluster, const std::string& id) {
  v1::GetPersonalDataRequest request;
  request.set_complaint_id(id);
  request.set_reason("erasure test");
  v1::GetPersonalDataResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
  return cluster.intake("staff/qian").GetPersonalData(&context, request, &response).error_code();
}

// The complaint's timeline once tracking knows it (tracking follows intake
// on its own consumer, so it may still be behind analytics).
v1::GetComplaintResponse Timeline(Cluster& cluster, const std::string& id) {
  v1::GetComplaintRequest request;
  request.set_complaint_id(id);
  v1::GetComplaintResponse response;
  EXPECT_TRUE(Eventually(
      [&] {
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
        return cluster.tracking().GetComplaint(&context, request, &response).ok();
      },
      absl::Seconds(30), kPoll))
      << id << ": tracking never knew it";
  return response;
}

TEST(Erasure, NothingOfTheComplainantOpensOrRemainsInClearAndTheRecordStays) {
  Cluster cluster;
  cluster.AddFlags(Service::kIntake, {"--backup_dir=" + cluster.dir() + "/backups/intake"});
  ASSERT_TRUE(cluster.Start());
  const Submitted erased = Submit(cluster.intake(), Complaint("e-1", kName, kPhone, kIdNumber));
  const Submitted kept = Submit(cluster.intake(), Complaint("e-2", "李雷", "13900139000", ""));
  ASSERT_TRUE(erased.status.ok()) << erased.status.error_message();
  ASSERT_TRUE(kept.status.ok()) << kept.status.error_message();
  const std::string id = erased.response.complaint_id();
  ASSERT_TRUE(WaitUntilCounted(cluster, 2, absl::Seconds(60)));
  ASSERT_EQ(ReadPersonal(cluster, id), grpc::StatusCode::OK);
  const CountTotals figures_before = Totals(cluster);
  const v1::GetComplaintResponse before = Timeline(cluster, id);
  ASSERT_FALSE(before.events().empty());
  const std::string key_id = before.events(0).received().personal().key_id();
  ASSERT_FALSE(key_id.empty());

  // The complainant's wrapped data key, as the key topic holds it.
  std::string wrapped;
  for (const std::string& payload : ReadTopic(cluster, topics::kKeys)) {
    v1::DataKeyRecord record;
    if (record.ParseFromString(payload) && record.key_id() == key_id) wrapped = record.wrapped();
  }
  ASSERT_FALSE(wrapped.empty());
  const std::string root = cluster.dir();
  ASSERT_FALSE(FilesHolding(root + "/kafka/log", wrapped).empty())
      << "the probe finds the key first";

  // A backup of intake taken before the erasure.
  {
    grpc::ClientContext context;
    v1::CreateBackupResponse made;
    ASSERT_TRUE(cluster.admin(Service::kIntake).CreateBackup(&context, {}, &made).ok());
  }

  v1::RequestErasureRequest erase;
  erase.set_idempotency_key("erase-1");
  erase.set_complaint_id(id);
  erase.set_reason("the complainant asked (PIPL art. 47)");
  v1::RequestErasureResponse erasure;
  {
    grpc::ClientContext context;
    const grpc::Status status =
        cluster.intake("staff/qian").RequestErasure(&context, erase, &erasure);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_EQ(ReadPersonal(cluster, id), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReadPersonal(cluster, kept.response.complaint_id()), grpc::StatusCode::OK)
      << "another complainant is untouched";
  EXPECT_TRUE(FilesHolding(root + "/intake", wrapped).empty())
      << "intake's files still hold the key after the erasure";
  // The key topic's compaction removes the record, even though intake
  // restarts in between: the tombstone's repeats are kept in its store. The
  // bound, as docs/security.md states it for this topic: segment.ms (2 s here, an
  // hour in production), the repeats (2 s apart), the cleaner's backoff (2 s
  // here) — and here intake's restart too.
  const absl::Time erased_at = complaints::WallNow();
  ASSERT_TRUE(cluster.StopService(Service::kIntake));
  ASSERT_TRUE(cluster.StartService(Service::kIntake));
  const absl::Duration bound = absl::Seconds(2 + 3 * 2 + 2) + absl::Seconds(20);
  EXPECT_TRUE(Eventually([&] { return FilesHolding(root + "/kafka/log", wrapped).empty(); },
                         absl::Seconds(90), absl::Milliseconds(500)))
      << "a Kafka segment still holds the key";
  const absl::Duration gone = complaints::WallNow() - erased_at;
  EXPECT_LT(gone, bound) << "the key left the broker later than stated";
  std::printf(
      "[erasure] key gone from the Kafka segments %.1f s after the erasure, intake "
      "restarted in between (bound %.0f s)\n",
      absl::ToDoubleSeconds(gone), absl::ToDoubleSeconds(bound));

  // The older backup, restored, learns the erasure from the topics again.
  // (Restored as the runbook says: it reads its own topic back before it
  // serves, so it decides nothing on an erased complainant meanwhile.)
  ASSERT_TRUE(cluster.StopService(Service::kIntake));
  std::filesystem::rename(root + "/intake", root + "/intake-erased");
  ASSERT_TRUE(cluster.StartService(Service::kIntake, {"--restore_backup=latest"}));
  EXPECT_TRUE(
      Eventually([&] { return ReadPersonal(cluster, id) == grpc::StatusCode::FAILED_PRECONDITION; },
                 absl::Seconds(30), kPoll))
      << "the restored backup unseals an erased complainant";
  EXPECT_TRUE(Eventually([&] { return FilesHolding(root + "/intake", wrapped).empty(); },
                         absl::Seconds(90), absl::Milliseconds(500)))
      << "the restored backup's files still hold the key";

  // Nothing in clear anywhere: segments, every service's RocksDB, logs.
  for (const std::string& secret : {std::string(kName), std::string(kPhone),
                                    std::string("+86") + kPhone, std::string(kIdNumber)}) {
    const std::vector<std::string> holding = FilesHolding(root, secret);
    EXPECT_TRUE(holding.empty()) << secret << " in clear in " << holding.front();
  }

  // The record stays: the same timeline (plus the erasure and the reads),
  // the same figures.
  const v1::GetComplaintResponse after = Timeline(cluster, id);
  ASSERT_GE(after.events_size(), before.events_size());
  for (int i = 0; i < before.events_size(); ++i) {
    EXPECT_EQ(after.events(i).event_id(), before.events(i).event_id());
  }
  const CountTotals figures_after = Totals(cluster);
  EXPECT_EQ(figures_after.total, figures_before.total);
  EXPECT_EQ(figures_after.unassigned, figures_before.unassigned);
}

}  // namespace
}  // namespace complaints::testing
