#include "libs/testing/kafka_broker.h"

#include <csignal>
#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/eventlog/admin.h"
#include "libs/runner/topics.h"
#include "libs/testing/net.h"
#include "libs/testing/process.h"
#include "libs/testing/temp_dir.h"

namespace complaints::testing {

std::unique_ptr<KafkaBroker> KafkaBroker::Start(const std::string& dir) {
  std::unique_ptr<KafkaBroker> broker(new KafkaBroker(dir, FreePort(), FreePort()));
  if (!broker->Restart()) {
    ADD_FAILURE() << "the Kafka broker did not start; see " << dir << "/kafka.log";
    return nullptr;
  }
  // What `complaintctl topics` does at bring-up: the platform's topics and
  // the single-writer ACLs, as the broker's admin.
  std::vector<absl::string_view> all(topics::kAll.begin(), topics::kAll.end());
  absl::Status prepared = EnsureTopics(broker->Client("admin", "setup"), all,
                                       {.partitions = topics::kDefaultPartitions,
                                        // Erasure tests wait for the key topic's compaction.
                                        .compacted_segment_ms = 2000,
                                        .compacted_delete_retention_ms = 60'000},
                                       absl::Seconds(30));
  if (prepared.ok()) {
    prepared =
        EnsureAcls(broker->Client("admin", "setup"), PlatformTopicAccess(), absl::Seconds(30));
  }
  if (!prepared.ok()) {
    ADD_FAILURE() << "topics and ACLs: " << prepared;
    return nullptr;
  }
  return broker;
}

std::string KafkaBroker::PasswordFile(const std::string& user) const {
  return absl::StrCat(dir_, "/kafka/users/", user, ".password");
}

KafkaOptions KafkaBroker::Client(const std::string& user, const std::string& client_id) const {
  absl::StatusOr<std::string> password = ReadPasswordFile(PasswordFile(user));
  EXPECT_TRUE(password.ok()) << password.status();
  return {.brokers = bootstrap(),
          .client_id = client_id,
          .username = user,
          .password = password.ok() ? *password : ""};
}

KafkaBroker::~KafkaBroker() { Stop(); }

std::string KafkaBroker::bootstrap() const { return absl::StrCat("127.0.0.1:", port_); }

bool KafkaBroker::Run(const std::string& action) {
  return RunCommand({"bash", SourceDir() + "/deploy/local/kafka.sh", action}, dir_ + "/kafka.log",
                    {{"KAFKA_PORT", std::to_string(port_)},
                     {"KAFKA_CONTROLLER_PORT", std::to_string(controller_port_)},
                     {"KAFKA_DATA_DIR", dir_ + "/kafka"}}) == 0;
}

bool KafkaBroker::Restart() {
  const absl::Time started = complaints::WallNow();
  running_ = Run("start");
  // The broker's start goes to the test log, as CI readers look for it there.
  std::printf("[broker] Apache Kafka %s on %s after %.1f s\n",
              running_ ? "started" : "FAILED to start", bootstrap().c_str(),
              absl::ToDoubleSeconds(complaints::WallNow() - started));
  std::fflush(stdout);
  return running_;
}

void KafkaBroker::Kill() {
  std::ifstream pid_file(dir_ + "/kafka/broker.pid");
  long pid = 0;
  if (pid_file >> pid && pid > 0) ::kill(static_cast<pid_t>(pid), SIGKILL);
  for (int i = 0; i < 100 && pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0; ++i) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  std::remove((dir_ + "/kafka/broker.pid").c_str());
  running_ = false;
}

bool KafkaBroker::Stop() {
  if (!running_) return true;
  running_ = !Run("stop");
  std::printf("[broker] Apache Kafka on %s stopped\n", bootstrap().c_str());
  std::fflush(stdout);
  return !running_;
}

}  // namespace complaints::testing
