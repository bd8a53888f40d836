#include "services/intake/app/intake_run.h"

#include "libs/core/log.h"
#include "libs/runner/topics.h"
#include "libs/server/main_helpers.h"
#include "libs/server/rate_limiter.h"
#include "services/intake/app/intake_families.h"
#include "services/intake/app/intake_projections.h"
#include "services/intake/app/intake_service.h"

namespace complaints::intake {
namespace {

// Logs a timer's failure; the next round tries again.
void Warn(const char* what, const absl::Status& status) {
  if (!status.ok()) log::Warn("intake: {}: {}", what, status.ToString());
}

// KEK rotation and erasure housekeeping: keys still wrapped by an older KEK
// are re-wrapped; keys erased by a read-back leave intake's files; an erased
// key's tombstone goes to the key topic again once its segment is due to
// roll (TombstoneRepeats), so the cleaner removes the erased key.
void KeepKeys(ServiceRuntime& runtime, const DataKeys& keys, absl::Duration roll_interval) {
  runtime.Every(absl::Minutes(1), [&keys, &runtime] {
    Warn("purging erased data keys", keys.PurgeIfNeeded());
    absl::StatusOr<size_t> rewrapped = keys.Rewrap(runtime.parts().outbox);
    Warn("re-wrapping data keys", rewrapped.status());
    if (rewrapped.ok() && *rewrapped > 0) {
      log::Info("intake: re-wrapped {} data keys under KEK {}", *rewrapped, keys.current_kek_id());
    }
  });
  runtime.Every(roll_interval, [&keys, &runtime] {
    Warn("repeating erased keys' tombstones",
         keys.RepeatTombstones(runtime.parts().outbox).status());
  });
}

}  // namespace

int RunIntake(IntakeRunOptions options) {
  RuntimeOptions& runtime_options = options.runtime;
  // Intake reads its own topics back: a deleted store is rebuilt from them
  // (the evidence topic holds the bytes of uploaded files). It follows
  // dispatch's assignments so a handler reaches only the evidence of what
  // they or their department hold, and with a mail server the
  // notifications tracking writes.
  runtime_options.own_topic = std::string(topics::kIntake);
  runtime_options.consume = {runtime_options.own_topic, std::string(topics::kEvidence),
                             std::string(topics::kKeys), std::string(topics::kDispatch)};
  if (options.mailer != nullptr) {
    runtime_options.consume.push_back(std::string(topics::kNotifications));
  }
  runtime_options.serves_without_broker = true;
  runtime_options.families = kFamilies;
  auto runtime = ServiceRuntime::Open(runtime_options);
  if (!runtime.ok()) return Fail("intake", runtime.status());
  ServiceRuntime& run = **runtime;
  DataKeys keys(run.parts().store, std::move(options.ring), run.clock(), options.repeats);
  // Complaint ids are dated in the centre's zone, the day analytics counts them on.
  auto ids = RandomIdGenerator::FromEntropy(options.zone);
  IntakeApp app({.parts = run.parts(),
                 .ids = ids.get(),
                 .classifier = options.classifier,
                 .verification = options.verification,
                 .keys = &keys,
                 .outbox_high_water = options.outbox_high_water,
                 .key_retention = options.key_retention,
                 .max_evidence_bytes = options.max_evidence_bytes,
                 .upload_dir = options.upload_dir,
                 .mailer = options.mailer.get(),
                 .mail = options.mail});
  app.SetAccepting(false);
  run.OnReadBack([&app] { app.SetAccepting(true); });
  run.OnRecordsOf(std::string(topics::kEvidence),
                  [&app](const auto& records) { return app.ApplyEvidence(records); });
  run.OnRecordsOf(std::string(topics::kKeys), [&keys, &run](const auto& records) {
    return keys.Apply(records, run.parts().dead_letters, run.outbox()->authority());
  });
  KeepKeys(run, keys, options.repeats.interval);
  if (options.mailer != nullptr) {
    run.OnRecordsOf(std::string(topics::kNotifications),
                    [&app](const auto& records) { return app.QueueMail(records); });
    run.Schedule(MailSchedule());
    run.Every(absl::Milliseconds(500),
              [&app] { Warn("sending e-mail", app.SendDueMail().status()); });
  }
  run.Every(absl::Minutes(1),
            [&app] { Warn("expiring idempotency keys", app.commands().ExpireKeys().status()); });
  const double rate = options.client_rate_limit;
  RateLimiter limiter({.per_second = rate, .burst = 2 * rate}, run.clock());
  IntakeService service(&app, &limiter);
  if (absl::Status status = run.Serve({&service}, &app.applier()); !status.ok()) {
    return Fail("intake", status);
  }
  return run.RunUntilSignalled();
}

}  // namespace complaints::intake
