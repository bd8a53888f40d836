#include "libs/server/service_flags.h"

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "build_info.h"
#include "grpc/support/log.h"
#include "libs/core/config.h"
#include "libs/core/log.h"
#include "libs/runner/record_auth.h"
#include "libs/server/signals.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "gRPC listen address, host:port");
ABSL_FLAG(std::string, status_listen, "",
          "host:port of the status port: GET /healthz, /readyz, /metrics (Prometheus), plain "
          "HTTP for kubelet's probes and the scraper; empty: none");
ABSL_FLAG(std::string, brokers, "127.0.0.1:9092", "Kafka bootstrap servers");
ABSL_FLAG(std::string, data_dir, "", "folder for this service's RocksDB state (required)");
ABSL_FLAG(std::string, config_dir, "config", "folder holding the rule and policy files");
ABSL_FLAG(int, partitions, 6, "partition count of topics this service creates");
ABSL_FLAG(
    std::string, instance_id, "",
    "unique id of this replica in its consumer group (the pod name); default: the service name");
ABSL_FLAG(std::string, time_zone, "Asia/Shanghai",
          "the service centre's IANA time zone, the one source of every day boundary (the "
          "bring-up and the manifests set it from COMPLAINTS_TIME_ZONE)");
ABSL_FLAG(
    absl::Duration, park_timeout, absl::Minutes(10),
    "how long a consumed record may wait for the event it follows before it becomes a dead letter");
ABSL_FLAG(int64_t, replay_lag, 5'000,
          "at start, an input topic at least this many records behind is replayed to its end, "
          "topic after topic, before the service joins its consumer group (the replay fast path)");
ABSL_FLAG(int, replication_factor, 1,
          "replication factor of topics this service creates (production: 3)");
ABSL_FLAG(int, min_insync_replicas, 1,
          "min.insync.replicas of topics this service creates (production: 2)");

ABSL_FLAG(absl::Duration, key_retention, absl::Hours(24 * 30),
          "how long a client idempotency key is remembered (import: keys always are)");
ABSL_FLAG(bool, test_mode, false,
          "end-to-end tests only: the Admin API's AdvanceClock may move this service's clock "
          "ahead");
ABSL_FLAG(std::string, kafka_user, "",
          "SASL/SCRAM user on the brokers (default: the service's name)");
ABSL_FLAG(std::string, kafka_password_file, "",
          "file holding the SASL/SCRAM password; empty: an anonymous plaintext client");
ABSL_FLAG(std::string, tls_ca, "", "PEM file of the CA whose client certificates are accepted");
ABSL_FLAG(std::string, tls_cert, "", "PEM file of this service's certificate");
ABSL_FLAG(std::string, tls_key, "", "PEM file of this service's private key");
ABSL_FLAG(absl::Duration, tls_refresh, absl::Minutes(1),
          "how often the certificate, key and CA files are re-read (rotation)");
ABSL_FLAG(bool, insecure, false,
          "serve PLAINTEXT without certificates; callers name themselves in x-insecure-identity "
          "metadata. Local experiments only");
ABSL_FLAG(std::string, access_policy, "",
          "identities to roles (default: <config_dir>/access.textproto)");

ABSL_FLAG(std::string, backup_dir, "",
          "folder for backups of this service's store (RocksDB BackupEngine); empty: none");
ABSL_FLAG(absl::Duration, backup_every, absl::ZeroDuration(),
          "take a backup this often (0: only through the Admin API's CreateBackup)");
ABSL_FLAG(int, backup_keep, 7, "how many backups --backup_dir keeps (1 or more)");
ABSL_FLAG(std::string, restore_backup, "",
          "latest or a backup id: restore it from --backup_dir into an empty --data_dir at start, "
          "then catch up from Kafka");
ABSL_FLAG(std::string, writer_keys_dir, "",
          "folder of the writers' record keys (intake.keys, dispatch.keys, tracking.keys, "
          "analytics.keys: one '<key id> <64 hex>' line per key, the current one first): this "
          "service signs what it publishes with its own and verifies every record it reads "
          "(required)");
ABSL_FLAG(std::string, unauthenticated_before, "",
          "textproto (UnauthenticatedRecords) of the offsets, per topic partition, below which "
          "records written before authentication began are read without one (recorded at the "
          "upgrade by 'complaints-topics mark-authentication'); empty: every record must be "
          "authenticated");
ABSL_FLAG(std::string, log_level, "info",
          "debug, info, warn or error; info logs every event a service records or applies, "
          "with the complaint's ids");

namespace complaints {
namespace {

// gRPC's own log lines as the service's JSON log lines.
void GrpcLogToSpdlog(gpr_log_func_args* args) {
  const log::Level level = args->severity == GPR_LOG_SEVERITY_ERROR  ? log::Level::kError
                           : args->severity == GPR_LOG_SEVERITY_INFO ? log::Level::kInfo
                                                                     : log::Level::kDebug;
  log::At(level, "grpc {}:{}: {}", args->file, args->line, args->message);
}

// The record authority of `service` from --writer_keys_dir and
// --unauthenticated_before (record_auth.h).
absl::StatusOr<std::shared_ptr<const RecordAuthority>> AuthorityFromFlags(
    const std::string& service) {
  const std::string dir = absl::GetFlag(FLAGS_writer_keys_dir);
  if (dir.empty()) {
    return absl::InvalidArgumentError(
        "--writer_keys_dir is required: every service signs the records it publishes and "
        "verifies those it reads");
  }
  absl::StatusOr<WriterKeyring> keys = WriterKeyring::Load(dir);
  if (!keys.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--writer_keys_dir: ", keys.status().message()));
  }
  v1::UnauthenticatedRecords legacy;
  if (const std::string file = absl::GetFlag(FLAGS_unauthenticated_before); !file.empty()) {
    absl::StatusOr<v1::UnauthenticatedRecords> loaded =
        LoadTextProto<v1::UnauthenticatedRecords>(file);
    if (!loaded.ok()) return loaded.status();
    legacy = *std::move(loaded);
  }
  v1::Writer self = v1::WRITER_UNSPECIFIED;
  v1::Writer_Parse(absl::AsciiStrToUpper(absl::StrCat("WRITER_", service)), &self);
  return RecordAuthority::Create(self, *std::move(keys), std::move(legacy));
}

}  // namespace

absl::StatusOr<absl::TimeZone> CentreZone() {
  const std::string name = absl::GetFlag(FLAGS_time_zone);
  absl::TimeZone zone;
  if (name.empty() || !absl::LoadTimeZone(name, &zone)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--time_zone: \"", name, "\" is not a known IANA zone (set COMPLAINTS_TIME_ZONE)"));
  }
  return zone;
}

absl::StatusOr<RuntimeOptions> BeginService(int argc, char** argv, const std::string& service) {
  // Debian builds Abseil without NDEBUG, which leaves its mutexes' deadlock
  // detection on: every acquisition looks the mutex up in one global lock
  // graph, under one global lock, and adds an edge from each lock the
  // thread holds (GraphCycles was 1-1.5 % of intake's CPU under load,
  // bench/README.md). Set before any mutex is used. The unit tests keep
  // it, and with it the check of lock order.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  InitLogging(service);
  gpr_set_log_function(&GrpcLogToSpdlog);
  if (!SetLogLevel(absl::GetFlag(FLAGS_log_level))) {
    return absl::InvalidArgumentError("--log_level: must be debug, info, warn or error");
  }
  RuntimeOptions options = RuntimeOptionsFromFlags(service);
  if (options.data_dir.empty()) return absl::InvalidArgumentError("--data_dir is required");
  if (absl::StatusOr<absl::TimeZone> zone = CentreZone(); !zone.ok()) return zone.status();
  if (options.backup_keep < 1) return absl::InvalidArgumentError("--backup_keep: 1 or more");
  if (absl::GetFlag(FLAGS_replay_lag) < 0) {
    return absl::InvalidArgumentError("--replay_lag: 0 (always) or more records");
  }
  if (options.backup_every < absl::ZeroDuration() ||
      (options.backup_every > absl::ZeroDuration() && options.backup_every < absl::Minutes(1))) {
    return absl::InvalidArgumentError("--backup_every: 0 (off) or at least 1m");
  }
  std::string policy = absl::GetFlag(FLAGS_access_policy);
  if (policy.empty()) policy = absl::GetFlag(FLAGS_config_dir) + "/access.textproto";
  absl::StatusOr<std::shared_ptr<const ServerSecurity>> security =
      ServerSecurity::Load(policy, {.insecure = absl::GetFlag(FLAGS_insecure),
                                    .files = {.ca = absl::GetFlag(FLAGS_tls_ca),
                                              .cert = absl::GetFlag(FLAGS_tls_cert),
                                              .key = absl::GetFlag(FLAGS_tls_key)},
                                    .refresh = absl::GetFlag(FLAGS_tls_refresh)});
  if (!security.ok()) return security.status();
  options.security = *std::move(security);
  absl::StatusOr<std::shared_ptr<const RecordAuthority>> authority = AuthorityFromFlags(service);
  if (!authority.ok()) return authority.status();
  options.authority = *std::move(authority);
  if (!options.kafka_password_file.empty()) {
    absl::StatusOr<std::string> password = ReadPasswordFile(options.kafka_password_file);
    if (!password.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--kafka_password_file ", password.status().message()));
    }
    options.kafka.password = *std::move(password);
  }
  return options;
}

RuntimeOptions RuntimeOptionsFromFlags(const std::string& service) {
  RuntimeOptions options;
  options.service = service;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.status_listen = absl::GetFlag(FLAGS_status_listen);
  options.build = {.version = COMPLAINTS_VERSION, .revision = COMPLAINTS_REVISION};
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.kafka.brokers = absl::GetFlag(FLAGS_brokers);
  options.kafka.client_id = service;
  if (const std::string file = absl::GetFlag(FLAGS_kafka_password_file); !file.empty()) {
    const std::string user = absl::GetFlag(FLAGS_kafka_user);
    options.kafka.username = user.empty() ? service : user;
    options.kafka_password_file = file;
  }
  options.partitions = absl::GetFlag(FLAGS_partitions);
  options.instance_id = absl::GetFlag(FLAGS_instance_id);
  options.park_timeout = absl::GetFlag(FLAGS_park_timeout);
  options.replay_lag =
      static_cast<uint64_t>(absl::GetFlag(FLAGS_replay_lag));  // BeginService checks it
  options.time_zone = absl::GetFlag(FLAGS_time_zone);
  options.replication_factor = absl::GetFlag(FLAGS_replication_factor);
  options.min_insync_replicas = absl::GetFlag(FLAGS_min_insync_replicas);
  options.backup_dir = absl::GetFlag(FLAGS_backup_dir);
  options.backup_every = absl::GetFlag(FLAGS_backup_every);
  options.backup_keep = absl::GetFlag(FLAGS_backup_keep);
  options.restore_backup = absl::GetFlag(FLAGS_restore_backup);
  if (absl::GetFlag(FLAGS_test_mode)) {
    static AdvancingClock* test_clock = new AdvancingClock(options.data_dir + "/test-clock-offset");
    options.test_clock = test_clock;
  }
  return options;
}

}  // namespace complaints
