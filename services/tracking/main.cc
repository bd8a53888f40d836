// tracking: deadlines and the complaint's full record (§3.2, §4.2). Flags -> options -> run.
#include "absl/flags/flag.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/core/log.h"
#include "libs/runner/topics.h"
#include "libs/server/main_helpers.h"
#include "libs/server/service_flags.h"
#include "services/tracking/app/tracking_families.h"
#include "services/tracking/app/tracking_service.h"

int main(int argc, char** argv) {
  using namespace complaints;
  auto begun = BeginService(argc, argv, "tracking");
  if (!begun.ok()) return Fail("tracking", begun.status());
  RuntimeOptions options = *std::move(begun);
  options.own_topic = std::string(topics::kTracking);
  options.families = tracking::kFamilies;
  // Analytics' incidents (§3.1) show on each complaint and let staff resolve them at once.
  options.consume = {std::string(topics::kIntake), std::string(topics::kDispatch),
                     options.own_topic, std::string(topics::kAnalytics)};

  const std::string config_dir = absl::GetFlag(FLAGS_config_dir);
  auto calendar = LoadChecked<v1::BusinessCalendar>(
      config_dir + "/calendar.textproto", [](const v1::BusinessCalendar& config) {
        return tracking::BusinessCalendar::Create(config, absl::GetFlag(FLAGS_time_zone));
      });
  if (!calendar.ok()) return Fail("tracking", calendar.status());
  auto book = LoadChecked<v1::SlaPolicies>(
      config_dir + "/sla.textproto",
      [](v1::SlaPolicies policies) { return tracking::SlaBook::Create(std::move(policies)); });
  if (!book.ok()) return Fail("tracking", book.status());
  auto handling = LoadChecked<v1::HandlingPolicy>(
      config_dir + "/handling.textproto",
      [](v1::HandlingPolicy policy) -> absl::StatusOr<v1::HandlingPolicy> {
        absl::Status valid = tracking::HandlingDecider::Create(policy, nullptr, nullptr).status();
        if (!valid.ok()) return valid;
        return policy;
      });
  if (!handling.ok()) return Fail("tracking", handling.status());
  const absl::TimeZone zone = *CentreZone();  // checked by BeginService
  auto notifier = LoadChecked<v1::NotificationTemplates>(
      config_dir + "/notifications.textproto", [zone](v1::NotificationTemplates templates) {
        return tracking::Notifier::Create(std::move(templates), zone);
      });
  if (!notifier.ok()) return Fail("tracking", notifier.status());
  auto runtime = ServiceRuntime::Open(options);
  if (!runtime.ok()) return Fail("tracking", runtime.status());

  auto app = tracking::TrackingApp::Create({.parts = (*runtime)->parts(),
                                            .sla = &*book,
                                            .calendar = &*calendar,
                                            .handling = *handling,
                                            .key_retention = absl::GetFlag(FLAGS_key_retention),
                                            .notifier = &*notifier});
  if (!app.ok()) return Fail("tracking", app.status());
  // Timers fire once the own topic is read back: a rebuilt store must not
  // fire again what the topic already holds.
  (*runtime)->OnReadBack([&app] { (*app)->SetFiring(true); });
  (*runtime)->Schedule((*app)->TimerQueue());
  (*runtime)->Every(absl::Milliseconds(200), [&app] {
    absl::StatusOr<size_t> fired = (*app)->FireDueTimers();
    if (!fired.ok()) log::Warn("tracking: firing timers: {}", fired.status().ToString());
  });
  (*runtime)->Every(absl::Minutes(1), [&app] {
    absl::StatusOr<size_t> expired = (*app)->ExpireKeys();
    if (!expired.ok())
      log::Warn("tracking: expiring idempotency keys: {}", expired.status().ToString());
  });
  tracking::TrackingService service(app->get());
  absl::Status status = (*runtime)->Serve({&service}, &(*app)->applier());
  if (!status.ok()) return Fail("tracking", status);
  return (*runtime)->RunUntilSignalled();
}
