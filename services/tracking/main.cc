// tracking: deadlines and the complaint's full record (§3.2, §4.2). Flags -> options -> run.
#include "absl/flags/flag.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/runner/topics.h"
#include "libs/server/main_helpers.h"
#include "libs/server/service_flags.h"
#include "services/tracking/app/tracking_service.h"

int main(int argc, char** argv) {
  using namespace complaints;
  auto begun = BeginService(argc, argv, "tracking");
  if (!begun.ok()) return Fail("tracking", begun.status());
  RuntimeOptions options = *std::move(begun);
  options.own_topic = std::string(topics::kTracking);
  options.consume = {std::string(topics::kIntake), std::string(topics::kDispatch),
                     options.own_topic};

  const std::string config_dir = absl::GetFlag(FLAGS_config_dir);
  auto calendar = LoadChecked<v1::BusinessCalendar>(
      config_dir + "/calendar.textproto", [](const v1::BusinessCalendar& config) {
        return tracking::BusinessCalendar::Create(config);
      });
  if (!calendar.ok()) return Fail("tracking", calendar.status());
  auto book = LoadChecked<v1::SlaPolicies>(
      config_dir + "/sla.textproto",
      [](v1::SlaPolicies policies) { return tracking::SlaBook::Create(std::move(policies)); });
  if (!book.ok()) return Fail("tracking", book.status());
  auto runtime = ServiceRuntime::Open(options);
  if (!runtime.ok()) return Fail("tracking", runtime.status());

  tracking::TrackingApp app(
      {.parts = (*runtime)->parts(SystemClock::Default()), .sla = &*book, .calendar = &*calendar});
  tracking::TrackingService service(&app);
  absl::Status status = (*runtime)->Serve({&service}, &app.applier());
  if (!status.ok()) return Fail("tracking", status);
  return (*runtime)->RunUntilSignalled();
}
