#pragma once
// §3.1 dispatch's routing models (docs/routing.md): trained on the
// closed cases (imported and live) in dispatch's store — labelled by the
// department that resolved them, after any transfers, and their team (else
// handler) — kept in the store's family "models" by version (content hash)
// with the active version beside them, so a restart keeps them and a backup
// carries them. Activating an earlier version rolls back. Thread-safe:
// training runs one at a time beside routing, which reads the active model.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "complaints/v1/dispatch.pb.h"
#include "libs/core/clock.h"
#include "libs/store/store.h"
#include "services/dispatch/app/fasttext_route_model.h"
#include "services/dispatch/domain/route_backtest.h"
#include "services/dispatch/domain/router.h"

namespace complaints::dispatch {

class RoutingModels {
 public:
  // All must outlive it; `scratch_dir` holds fastText's files while it trains.
  RoutingModels(Store* store, const Clock* clock, const Router* router, std::string scratch_dir);

  // The service's clock: "now" for requests that leave a time out.
  const Clock* clock() const { return clock_; }

  // Loads the active model, if any (at start). DATA_LOSS for one that does not load.
  absl::Status LoadActive();

  // FAILED_PRECONDITION with too few closed cases (LearnedRouting.min_cases).
  absl::StatusOr<v1::RoutingModel> Train(absl::Time opened_before, bool activate);
  absl::StatusOr<std::vector<v1::RoutingModel>> List() const;
  // NOT_FOUND for a version not stored; "" turns learned routing off.
  absl::StatusOr<v1::RoutingModel> Activate(const std::string& version);
  // INVALID_ARGUMENT when test_from is before train_until.
  absl::StatusOr<v1::BacktestRoutingResponse> Backtest(absl::Time train_until,
                                                       absl::Time test_from) const;

  // The active model's answer for the complaint; none when none is active.
  std::optional<ModelAnswer> Predict(const v1::ComplaintView& view) const;

 private:
  struct Closed {
    absl::Time opened;
    v1::Priority priority;  // what the configured rules see beside the category
    LabeledCase labeled;
  };
  absl::StatusOr<std::vector<Closed>> ClosedCases() const;
  absl::StatusOr<std::optional<v1::StoredRoutingModel>> Stored(const std::string& version) const;
  TrainOptions Options() const;

  Store* store_;
  const Clock* clock_;
  const Router* router_;
  std::string scratch_dir_;
  absl::Mutex training_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const RouteModel> active_ ABSL_GUARDED_BY(mu_);
};

}  // namespace complaints::dispatch
