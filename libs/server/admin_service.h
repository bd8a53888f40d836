#pragma once
// The Admin API (admin.proto) every service serves beside its own: status of
// the consumer and the relay, the dead letters with their re-drive, and
// backups of the store.
// Handlers only translate; the runtime owns what they read. Thread-safe.

#include <functional>

#include "complaints/v1/admin.pb.h"
#include "libs/core/clock.h"
#include "libs/runner/consumed_batch.h"
#include "libs/runner/dead_letters.h"
#include "libs/server/backups.h"
#include "libs/server/callback_service.h"

namespace complaints {

struct AdminSources {
  DeadLetters* dead_letters = nullptr;
  ConsumedApplier* applier = nullptr;  // null for a service that consumes nothing
  // Fills the consumer and relay parts of the status.
  std::function<void(v1::GetStatusResponse*)> status = {};
  // Puts an outbox entry's dead letter back into the outbox ("REQUEUED").
  std::function<absl::StatusOr<std::string>(const v1::DeadLetter&)> requeue = {};
  // The clock AdvanceClock moves; null unless the service runs in test mode.
  AdvancingClock* test_clock = nullptr;
  StoreBackups* backups = nullptr;
  std::string time_zone;  // the centre's (GetCentre)
};

class AdminService final : public CallbackService {
 public:
  explicit AdminService(AdminSources sources);

  // What GetStatus answers (the status port serves it too).
  absl::StatusOr<v1::GetStatusResponse> GetStatus() const;

 private:
  absl::StatusOr<v1::RetryDeadLetterResponse> Retry(const std::string& id) const;
  absl::StatusOr<v1::AdvanceClockResponse> AdvanceClock(
      const v1::AdvanceClockRequest& request) const;

  AdminSources sources_;
};

}  // namespace complaints
