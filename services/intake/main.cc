// intake: records complaints (§2). Flags -> options -> run.
#include <filesystem>
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "libs/core/config.h"
#include "libs/server/main_helpers.h"
#include "libs/server/service_flags.h"
#include "services/intake/app/intake_run.h"

ABSL_FLAG(double, client_rate_limit, 1000,
          "submissions per second one client may make (burst: twice that); 0 turns it off");
ABSL_FLAG(uint64_t, outbox_high_water, 100000,
          "events waiting for Kafka beyond which submissions are refused with UNAVAILABLE");
ABSL_FLAG(uint64_t, max_evidence_bytes, 25 << 20,
          "the largest evidence file AttachEvidence takes (1 KiB to 100 MiB)");

ABSL_FLAG(std::string, smtp_url, "",
          "the mail server for complainants' e-mail notifications, smtp://host:port or "
          "smtps://host:port; empty: intake sends no e-mail (they stay on the topic)");
ABSL_FLAG(std::string, mail_from, "",
          "the sender address of that e-mail (required with --smtp_url)");
ABSL_FLAG(std::string, smtp_credentials_file, "",
          "a file holding 'user:password' for the mail server; empty: no login");
ABSL_FLAG(absl::Duration, mail_give_up_after, absl::Hours(48),
          "an e-mail notification not sent this long after it was recorded is given up");
ABSL_FLAG(std::string, kek_file, "",
          "the key-encryption keys that wrap complainants' data keys: one '<key id> <64 hex>' "
          "line per key, the current one first (older ones are kept until every data key is "
          "re-wrapped); empty: the environment variable COMPLAINTS_KEK holds one such line");
ABSL_FLAG(std::string, subject_secret_file, "",
          "the secret of the keyed hash that names a complainant (one '<key id> <64 hex>' "
          "line); empty: the environment variable COMPLAINTS_SUBJECT_SECRET");
ABSL_FLAG(absl::Duration, keys_segment_roll, absl::Hours(1),
          "the key topic's segment.ms: this long after an erasure intake writes the key's "
          "tombstone to complaints.keys.v1 again (and twice more, --keys_roll_interval apart), "
          "so the segment holding the first rolls and compaction removes the key even when "
          "nothing else is written; the schedule is kept in intake's store across restarts");
ABSL_FLAG(absl::Duration, keys_roll_interval, absl::Minutes(1),
          "how often intake looks for tombstones due again, and the time between repeats");
ABSL_FLAG(bool, smtp_require_tls, false,
          "send no e-mail over a connection without TLS (STARTTLS or smtps://)");

namespace {

// The mail sender, or null when --smtp_url is empty.
absl::StatusOr<std::unique_ptr<complaints::SmtpClient>> MailerFromFlags() {
  complaints::SmtpOptions options{.url = absl::GetFlag(FLAGS_smtp_url),
                                  .from = absl::GetFlag(FLAGS_mail_from),
                                  .require_tls = absl::GetFlag(FLAGS_smtp_require_tls)};
  if (options.url.empty()) return nullptr;
  if (const std::string path = absl::GetFlag(FLAGS_smtp_credentials_file); !path.empty()) {
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line) || line.find(':') == std::string::npos) {
      return absl::InvalidArgumentError("--smtp_credentials_file: no 'user:password' line in " +
                                        path);
    }
    options.username = line.substr(0, line.find(':'));
    options.password = line.substr(line.find(':') + 1);
  }
  auto client = complaints::SmtpClient::Create(std::move(options));
  if (!client.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--smtp_url/--mail_from: ", client.status().message()));
  }
  return client;
}

// The key ring from --kek_file/--subject_secret_file or the environment.
absl::StatusOr<complaints::intake::KeyRing> KeyRingFromFlags() {
  std::string kek_file = absl::GetFlag(FLAGS_kek_file);
  std::string secret_file = absl::GetFlag(FLAGS_subject_secret_file);
  if (kek_file.empty() || secret_file.empty()) {
    const char* kek = std::getenv("COMPLAINTS_KEK");
    const char* secret = std::getenv("COMPLAINTS_SUBJECT_SECRET");
    if ((kek_file.empty() && kek == nullptr) || (secret_file.empty() && secret == nullptr)) {
      return absl::InvalidArgumentError(
          "--kek_file and --subject_secret_file (or COMPLAINTS_KEK and "
          "COMPLAINTS_SUBJECT_SECRET): intake seals personal data and needs its keys");
    }
    auto ring = complaints::intake::KeyRing::FromText(
        kek_file.empty() ? "COMPLAINTS_KEK" : kek_file, kek_file.empty() ? std::string(kek) : "",
        secret_file.empty() ? "COMPLAINTS_SUBJECT_SECRET" : secret_file,
        secret_file.empty() ? std::string(secret) : "");
    return ring;
  }
  return complaints::intake::KeyRing::Load(kek_file, secret_file);
}

// `path`, made if missing and emptied of what an earlier run left there.
absl::StatusOr<std::string> ClearedFolder(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
    std::filesystem::remove_all(entry.path(), error);
  }
  if (error) {
    return absl::UnavailableError(absl::StrCat(path, ": ", error.message()));
  }
  return path;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace complaints;
  auto begun = BeginService(argc, argv, "intake");
  if (!begun.ok()) return Fail("intake", begun.status());
  if (absl::GetFlag(FLAGS_mail_give_up_after) < absl::Minutes(1)) {
    return Fail("intake", absl::InvalidArgumentError("--mail_give_up_after: at least 1m"));
  }
  auto mailer = MailerFromFlags();
  if (!mailer.ok()) return Fail("intake", mailer.status());
  const std::string config_dir = absl::GetFlag(FLAGS_config_dir);
  auto classifier = LoadChecked<v1::ClassificationRules>(
      config_dir + "/classification.textproto",
      [](v1::ClassificationRules rules) { return intake::Classifier::Create(std::move(rules)); });
  if (!classifier.ok()) return Fail("intake", classifier.status());
  auto verification = LoadChecked<v1::VerificationPolicy>(
      config_dir + "/verification.textproto", [](v1::VerificationPolicy policy) {
        return intake::VerificationDecider::Create(std::move(policy));
      });
  if (!verification.ok()) return Fail("intake", verification.status());
  const uint64_t max_evidence_bytes = absl::GetFlag(FLAGS_max_evidence_bytes);
  if (max_evidence_bytes < 1024 || max_evidence_bytes > (100u << 20)) {
    return Fail("intake", absl::InvalidArgumentError("--max_evidence_bytes: 1 KiB to 100 MiB"));
  }
  // Uploads arrive in a spool folder beside the store; what a crash left there goes.
  const absl::StatusOr<std::string> upload_dir = ClearedFolder(begun->data_dir + "/uploads");
  if (!upload_dir.ok()) return Fail("intake", upload_dir.status());
  auto ring = KeyRingFromFlags();
  if (!ring.ok()) return Fail("intake", ring.status());
  return intake::RunIntake({.runtime = *std::move(begun),
                            .ring = *std::move(ring),
                            .repeats = {.after = absl::GetFlag(FLAGS_keys_segment_roll),
                                        .interval = absl::GetFlag(FLAGS_keys_roll_interval)},
                            .classifier = &*classifier,
                            .verification = &*verification,
                            .mailer = *std::move(mailer),
                            .mail = {.give_up_after = absl::GetFlag(FLAGS_mail_give_up_after)},
                            .outbox_high_water = absl::GetFlag(FLAGS_outbox_high_water),
                            .key_retention = absl::GetFlag(FLAGS_key_retention),
                            .max_evidence_bytes = max_evidence_bytes,
                            .upload_dir = *upload_dir,
                            .client_rate_limit = absl::GetFlag(FLAGS_client_rate_limit),
                            .zone = *CentreZone()});  // checked by BeginService
}
