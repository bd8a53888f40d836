// Backups and restore (docs/operations.md "Backups and restore"): each service backs its
// store up through the Admin API; after more work its data folder is
// destroyed and it is started from the backup. It must catch up from Kafka to
// the very store it had (byte for byte, as the rebuild test compares), decide
// nothing again and publish nothing (every topic ends where it ended), and
// intake must know what was submitted after the backup before it answers.
#include <cstdio>
#include <filesystem>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/runner/records.h"
#include "libs/runner/topics.h"
#include "tests/scenario.h"
#include "tests/store_compare.h"

namespace complaints::testing {
namespace {

constexpr int kBefore = 80;  // complaints in the backup
constexpr int kAfter = 80;   // complaints only Kafka holds at the restore

TEST(Backup, ARestoredServiceCatchesUpFromKafkaToTheStoreItHad) {
  Cluster cluster;
  for (Service service : kServices) {
    cluster.AddFlags(service,
                     {absl::StrCat("--backup_dir=", cluster.dir(), "/backups/", NameOf(service)),
                      "--backup_keep=2"});
  }
  ASSERT_TRUE(cluster.Start());
  Nyc311Complaints data;
  const absl::Time now = complaints::WallNow();
  std::vector<std::string> ids;
  auto submit = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      Submitted submitted = Submit(cluster.intake(), data.Valid(i, "backup", now));
      ASSERT_TRUE(submitted.status.ok()) << submitted.status.error_message();
      ids.push_back(submitted.response.complaint_id());
    }
    ASSERT_TRUE(WaitUntilComplete(cluster, ids, absl::Seconds(60)).empty());
    ASSERT_TRUE(WaitUntilCounted(cluster, static_cast<int64_t>(ids.size()), absl::Seconds(60)));
    ASSERT_TRUE(Eventually([&] { return OutboxesEmpty(cluster); }, absl::Seconds(30)));
  };
  submit(0, kBefore);
  if (HasFatalFailure()) return;

  std::map<Service, uint32_t> backup_ids;
  for (Service service : kServices) {
    grpc::ClientContext context;
    v1::CreateBackupResponse made;
    const grpc::Status status = cluster.admin(service).CreateBackup(&context, {}, &made);
    ASSERT_TRUE(status.ok()) << NameOf(service) << ": " << status.error_message();
    EXPECT_GT(made.backup().bytes(), 0u);
    ASSERT_EQ(made.kept_size(), 1);
    backup_ids[service] = made.backup().id();
    std::printf("[figures] backup: %s backup %u of %d complaints: %llu bytes in %u files\n",
                NameOf(service), made.backup().id(), kBefore,
                static_cast<unsigned long long>(made.backup().bytes()), made.backup().files());
  }
  {
    grpc::ClientContext context;
    v1::ListBackupsResponse listed;
    ASSERT_TRUE(cluster.admin(Service::kTracking).ListBackups(&context, {}, &listed).ok());
    ASSERT_EQ(listed.backups_size(), 1);
    EXPECT_EQ(listed.backups(0).id(), backup_ids[Service::kTracking]);
  }
  {
    grpc::ClientContext context;
    v1::CreateBackupResponse refused;
    auto as_clerk = v1::AdminService::NewStub(
        grpc::CreateChannel(cluster.address(Service::kIntake), cluster.credentials("staff/li")));
    EXPECT_EQ(as_clerk->CreateBackup(&context, {}, &refused).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << "a clerk may not take backups";
  }

  const Offsets at_backup = EndOffsets(cluster);
  const v1::SubmitComplaintRequest late = data.Valid(kBefore, "backup", now);
  submit(kBefore, kBefore + kAfter);
  if (HasFatalFailure()) return;
  const Offsets ends = EndOffsets(cluster);

  for (Service service : kServices) {
    const std::string name = NameOf(service);
    const std::string folder = cluster.dir() + "/" + name;
    const std::map<std::string, std::string> before = StopAndLoseStore(cluster, service, ends);
    ASSERT_FALSE(before.empty()) << name;

    const absl::Time started = complaints::WallNow();
    ASSERT_TRUE(cluster.StartService(service, {"--restore_backup=latest"})) << name;
    if (service == Service::kIntake) {
      // Serving calls, but it knows the complaints submitted after the
      // backup as soon as it takes any: a repeat is answered as one.
      const Submitted again = SubmitWhenServing(cluster.intake(), late, absl::Seconds(30));
      ASSERT_TRUE(again.status.ok()) << again.status.error_message();
      EXPECT_TRUE(again.response.duplicate()) << "the restored intake knows the later key";
      EXPECT_EQ(again.response.complaint_id(), ids[kBefore]);
    }
    ASSERT_TRUE(Eventually([&] { return CaughtUp(cluster, service, ends); }, absl::Seconds(60)))
        << name;
    const absl::Duration took = complaints::WallNow() - started;
    // It replayed from the backup's offsets, not from the start: it applied
    // no more than what was published after the backup.
    int64_t since_backup = 0;
    for (absl::string_view topic : ConsumedTopics(service)) {
      for (int partition = 0; partition < topics::kDefaultPartitions; ++partition) {
        const std::string key = OffsetKey(topic, partition);
        since_backup += ends.at(key) - at_backup.at(key);
      }
    }
    // (The consumer counts a batch just after storing its offsets: wait for it.)
    uint64_t applied = 0;
    EXPECT_TRUE(Eventually(
        [&] {
          grpc::ClientContext context;
          v1::GetStatusResponse status;
          if (!cluster.admin(service).GetStatus(&context, {}, &status).ok()) return false;
          applied = status.consumer().applied_records();
          return applied > 0;
        },
        absl::Seconds(10)))
        << name << " applied nothing";
    EXPECT_LE(applied, static_cast<uint64_t>(since_backup))
        << name << " replayed more than what came after its backup";
    EXPECT_NE(cluster.ServiceLog(service).find(
                  absl::StrCat(name, ": restored backup ", backup_ids[service])),
              std::string::npos)
        << name;
    ASSERT_TRUE(cluster.StopService(service)) << name;
    const std::map<std::string, std::string> after = Dump(folder + "/rocksdb");
    const int differences = Differences(before, after, name);
    EXPECT_EQ(differences, 0) << name;
    ASSERT_TRUE(cluster.StartService(service)) << name;
    std::printf(
        "[figures] backup: %s restored and caught up %d complaints from Kafka in %.2f s; %zu "
        "entries, identical: %s\n",
        name.c_str(), kAfter, absl::ToDoubleSeconds(took), after.size(),
        differences == 0 ? "yes" : "no");
  }
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(EndOffsets(cluster), ends) << "a restore publishes nothing";
}

}  // namespace
}  // namespace complaints::testing
