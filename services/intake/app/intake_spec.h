#pragma once
// Intake declared (§2.1–§2.4, §4.2): the commands that open a complaint (a
// submission, an imported case), the staff commands on one it recorded,
// and the projections it keeps beside its views (intake_projections.h).
// Intake decides on no other service's events: it reads its own topic back
// (a rebuild) and dispatch's, which move a view's holder (who may see the
// evidence). Read intake_spec.cc for everything intake decides.

#include <atomic>

#include "libs/core/ids.h"
#include "libs/runner/outbox.h"
#include "libs/runner/service_spec.h"
#include "libs/store/store.h"
#include "services/intake/app/data_keys.h"
#include "services/intake/domain/intake_decider.h"
#include "services/intake/domain/verification.h"

namespace complaints::intake {

// What the declaration refers to; all must outlive the spec's runner.
struct IntakeParts {
  Store* store = nullptr;
  const Outbox* outbox = nullptr;
  IdGenerator* ids = nullptr;
  const IntakeDecider* decider = nullptr;
  // §2.4 the call-back policy; null: no call-backs are scheduled or recorded.
  const VerificationDecider* verification = nullptr;
  // The complainants' data keys: personal data is sealed under them before
  // it is recorded.
  const DataKeys* keys = nullptr;
  const Clock* clock = nullptr;
  // Commands are refused (UNAVAILABLE) while `accepting` is false (the own
  // topic being read back) and beyond this many events waiting for Kafka.
  const std::atomic<bool>* accepting = nullptr;
  uint64_t outbox_high_water = 100'000;
};

ServiceSpec IntakeSpec(const IntakeParts& parts);

// Another system's record id as a key prefix: re-importing it must record
// nothing, ever, so such keys never expire.
inline constexpr char kImportKeyPrefix[] = "import:";

}  // namespace complaints::intake
