#pragma once
// Intake as a process: its store and runtime opened, its consumers (its own
// topic, the evidence, key and notification topics, dispatch's assignments)
// and timers (key re-wrap and purge, tombstone repeats, mail, key expiry)
// wired, served until signalled. main.cc only turns flags into these options.

#include <memory>
#include <string>

#include "libs/mail/smtp_client.h"
#include "libs/server/runtime.h"
#include "services/intake/app/data_keys.h"
#include "services/intake/domain/classifier.h"
#include "services/intake/domain/mail.h"
#include "services/intake/domain/verification.h"

namespace complaints::intake {

struct IntakeRunOptions {
  RuntimeOptions runtime = {};
  KeyRing ring = {};
  TombstoneRepeats repeats = {};
  const Classifier* classifier = nullptr;
  const VerificationDecider* verification = nullptr;
  // Null: intake sends no e-mail (notifications stay on their topic).
  std::unique_ptr<SmtpClient> mailer = nullptr;
  MailPolicy mail = {};
  uint64_t outbox_high_water = 100'000;
  absl::Duration key_retention = absl::Hours(24 * 30);
  size_t max_evidence_bytes = 25 << 20;
  std::string upload_dir = "";
  double client_rate_limit = 1000;  // submissions per second per client; 0: off
  absl::TimeZone zone = {};         // the centre's, which dates complaint ids
};

// The process's exit code.
int RunIntake(IntakeRunOptions options);

}  // namespace complaints::intake
