// complaints-topics: exports every platform topic to files and restores an
// export into an empty cluster (docs/operations.md "Backups and restore").
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "libs/core/log.h"
#include "tools/topic_backup/kafka_io.h"

ABSL_FLAG(std::string, brokers, "127.0.0.1:9092", "Kafka bootstrap servers");
ABSL_FLAG(std::string, kafka_user, "",
          "SASL/SCRAM user (an admin: it reads and writes every topic)");
ABSL_FLAG(std::string, kafka_password_file, "", "file whose first line is the user's password");
ABSL_FLAG(int, replication_factor, 1, "import: replication of the topics it creates");
ABSL_FLAG(int, min_insync_replicas, 1, "import: min.insync.replicas of the topics it creates");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(30), "how long to wait for the broker");

namespace {

constexpr char kUsage[] =
    "complaints-topics export DIR   every platform topic to DIR (which must be empty)\n"
    "complaints-topics import DIR   an export into a cluster whose topics are empty\n"
    "complaints-topics mark-authentication FILE\n"
    "                               the upgrade to authenticated records: every partition's\n"
    "                               end, below which services read records without one\n";

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  complaints::InitLogging("complaints-topics");
  if (args.size() != 3) {
    std::fprintf(stderr, "%s", kUsage);
    return 2;
  }
  const std::string verb = args[1];
  complaints::KafkaOptions kafka{.brokers = absl::GetFlag(FLAGS_brokers),
                                 .client_id = "complaints-topics"};
  if (const std::string file = absl::GetFlag(FLAGS_kafka_password_file); !file.empty()) {
    absl::StatusOr<std::string> password = complaints::ReadPasswordFile(file);
    if (!password.ok()) {
      std::fprintf(stderr, "error: --kafka_password_file %s\n",
                   std::string(password.status().message()).c_str());
      return 2;
    }
    kafka.username = absl::GetFlag(FLAGS_kafka_user);
    kafka.password = *password;
  }
  absl::Status status;
  if (verb == "export") {
    status = complaints::topic_backup::ExportTopics(
        {.kafka = kafka, .out_dir = args[2], .timeout = absl::GetFlag(FLAGS_timeout)});
  } else if (verb == "import") {
    status = complaints::topic_backup::ImportTopics(
        {.kafka = kafka,
         .in_dir = args[2],
         .replication_factor = absl::GetFlag(FLAGS_replication_factor),
         .min_insync_replicas = absl::GetFlag(FLAGS_min_insync_replicas),
         .timeout = absl::GetFlag(FLAGS_timeout)});
  } else if (verb == "mark-authentication") {
    status = complaints::topic_backup::MarkAuthentication(
        {.kafka = kafka, .out_file = args[2], .timeout = absl::GetFlag(FLAGS_timeout)});
  } else {
    std::fprintf(stderr, "%s", kUsage);
    return 2;
  }
  if (!status.ok()) {
    std::fprintf(stderr, "error: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
