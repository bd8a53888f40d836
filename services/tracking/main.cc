// tracking: deadlines and the complaint's full record (§3.2, §4.2). Flags -> options -> run.
#include "absl/flags/flag.h"
#include "libs/core/config.h"
#include "libs/server/main_helpers.h"
#include "libs/server/service_flags.h"
#include "services/tracking/app/tracking_run.h"
#include "services/tracking/domain/handling_decider.h"

int main(int argc, char** argv) {
  using namespace complaints;
  auto begun = BeginService(argc, argv, "tracking");
  if (!begun.ok()) return Fail("tracking", begun.status());
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
  return tracking::RunTracking({.runtime = *std::move(begun),
                                .sla = &*book,
                                .calendar = &*calendar,
                                .handling = *handling,
                                .notifier = &*notifier,
                                .key_retention = absl::GetFlag(FLAGS_key_retention)});
}
