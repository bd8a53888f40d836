// intake: records complaints (§2). Flags -> options -> run.
#include "absl/flags/flag.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/server/main_helpers.h"
#include "libs/server/service_flags.h"
#include "services/intake/app/intake_service.h"

int main(int argc, char** argv) {
  using namespace complaints;
  auto begun = BeginService(argc, argv, "intake");
  if (!begun.ok()) return Fail("intake", begun.status());
  RuntimeOptions options = *std::move(begun);

  auto classifier = LoadChecked<v1::ClassificationRules>(
      absl::GetFlag(FLAGS_config_dir) + "/classification.textproto",
      [](v1::ClassificationRules rules) { return intake::Classifier::Create(std::move(rules)); });
  if (!classifier.ok()) return Fail("intake", classifier.status());
  auto runtime = ServiceRuntime::Open(options);
  if (!runtime.ok()) return Fail("intake", runtime.status());

  auto ids = RandomIdGenerator::FromEntropy();
  intake::IntakeApp app({.store = (*runtime)->store(),
                         .outbox = (*runtime)->outbox(),
                         .clock = SystemClock::Default(),
                         .ids = ids.get(),
                         .classifier = &*classifier});
  intake::IntakeService service(&app);
  if (absl::Status status = (*runtime)->Serve({&service}, nullptr); !status.ok()) {
    return Fail("intake", status);
  }
  (*runtime)->RunUntilSignalled();
  return 0;
}
