#include "services/dispatch/app/routing_models.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"
#include "services/dispatch/app/dispatch_families.h"

namespace complaints::dispatch {
namespace {

// Family kModels: "model/<version>" -> StoredRoutingModel; "active" -> version.
constexpr char kActiveKey[] = "active";
std::string ModelKey(const std::string& version) { return absl::StrCat("model/", version); }

}  // namespace

RoutingModels::RoutingModels(Store* store, const Clock* clock, const Router* router,
                             std::string scratch_dir)
    : store_(store), clock_(clock), router_(router), scratch_dir_(std::move(scratch_dir)) {}

TrainOptions RoutingModels::Options() const {
  TrainOptions options;
  options.scratch_dir = scratch_dir_;
  if (router_->rules().learned().min_cases() > 0) {
    options.min_cases = router_->rules().learned().min_cases();
  }
  return options;
}

absl::StatusOr<std::optional<v1::StoredRoutingModel>> RoutingModels::Stored(
    const std::string& version) const {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, store_->Get(kModelsFamily, ModelKey(version)));
  if (!bytes.has_value()) return std::optional<v1::StoredRoutingModel>();
  v1::StoredRoutingModel stored;
  if (!stored.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("routing model ", version, ": corrupt"));
  }
  return std::optional<v1::StoredRoutingModel>(std::move(stored));
}

absl::Status RoutingModels::LoadActive() {
  ASSIGN_OR_RETURN(std::optional<std::string> version, store_->Get(kModelsFamily, kActiveKey));
  if (!version.has_value() || version->empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::optional<v1::StoredRoutingModel> stored, Stored(*version));
  if (!stored.has_value()) {
    return absl::DataLossError(absl::StrCat("the active routing model ", *version, " is missing"));
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const RouteModel> model, RouteModel::Load(*std::move(stored)));
  absl::MutexLock lock(&mu_);
  active_ = std::move(model);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RoutingModels::Closed>> RoutingModels::ClosedCases() const {
  std::vector<Closed> cases;
  absl::Status corrupt = absl::OkStatus();
  RETURN_IF_ERROR(store_->Scan(
      Family::kState, "", "", SIZE_MAX, [&](absl::string_view key, absl::string_view value) {
        v1::ComplaintView view;
        if (!view.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = absl::DataLossError(absl::StrCat("a stored view is corrupt: ", key));
          return false;
        }
        std::optional<LabeledCase> labeled = LabeledCaseOf(view);
        if (!labeled.has_value()) return true;
        cases.push_back({FromProto(view.intake().received_at()), view.intake().priority(),
                         *std::move(labeled)});
        return true;
      }));
  RETURN_IF_ERROR(corrupt);
  // In the order they were opened: the same history makes the same model,
  // whatever ids the platform gave its cases.
  std::sort(cases.begin(), cases.end(), [](const Closed& a, const Closed& b) {
    return std::tie(a.opened, a.labeled.key) < std::tie(b.opened, b.labeled.key);
  });
  return cases;
}

absl::StatusOr<v1::RoutingModel> RoutingModels::Train(absl::Time opened_before, bool activate) {
  absl::MutexLock training(&training_);
  ASSIGN_OR_RETURN(std::vector<Closed> closed, ClosedCases());
  std::vector<LabeledCase> cases;
  for (Closed& c : closed) {
    if (c.opened < opened_before) cases.push_back(std::move(c.labeled));
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const RouteModel> model,
                   RouteModel::Train(cases, Options(), clock_->Now(), opened_before));
  Batch batch;
  batch.Put(kModelsFamily, ModelKey(model->version()), model->stored().SerializeAsString());
  if (activate) batch.Put(kModelsFamily, kActiveKey, model->version());
  RETURN_IF_ERROR(store_->Write(batch, Durability::kSynced));
  v1::RoutingModel answer = model->stored().model();
  if (activate) {
    answer.set_active(true);
    absl::MutexLock lock(&mu_);
    active_ = std::move(model);
  }
  return answer;
}

absl::StatusOr<std::vector<v1::RoutingModel>> RoutingModels::List() const {
  ASSIGN_OR_RETURN(std::optional<std::string> active, store_->Get(kModelsFamily, kActiveKey));
  std::vector<v1::RoutingModel> models;
  absl::Status corrupt = absl::OkStatus();
  RETURN_IF_ERROR(store_->Scan(
      kModelsFamily, "model/", "model0", SIZE_MAX,
      [&](absl::string_view key, absl::string_view value) {
        v1::StoredRoutingModel stored;
        if (!stored.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = absl::DataLossError(absl::StrCat("routing model corrupt: ", key));
          return false;
        }
        models.push_back(stored.model());
        models.back().set_active(active.has_value() && *active == stored.model().version());
        return true;
      }));
  RETURN_IF_ERROR(corrupt);
  std::sort(models.begin(), models.end(), [](const auto& a, const auto& b) {
    return FromProto(a.trained_at()) > FromProto(b.trained_at());
  });
  return models;
}

absl::StatusOr<v1::RoutingModel> RoutingModels::Activate(const std::string& version) {
  if (version.empty()) {
    Batch batch;
    batch.Delete(kModelsFamily, kActiveKey);
    RETURN_IF_ERROR(store_->Write(batch, Durability::kSynced));
    absl::MutexLock lock(&mu_);
    active_.reset();
    return v1::RoutingModel();
  }
  if (version.size() > 64) return absl::InvalidArgumentError("version: longer than 64 characters");
  ASSIGN_OR_RETURN(std::optional<v1::StoredRoutingModel> stored, Stored(version));
  if (!stored.has_value()) {
    return absl::NotFoundError(absl::StrCat("version: no routing model ", version));
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const RouteModel> model, RouteModel::Load(*std::move(stored)));
  Batch batch;
  batch.Put(kModelsFamily, kActiveKey, version);
  RETURN_IF_ERROR(store_->Write(batch, Durability::kSynced));
  v1::RoutingModel answer = model->stored().model();
  answer.set_active(true);
  absl::MutexLock lock(&mu_);
  active_ = std::move(model);
  return answer;
}

absl::StatusOr<v1::BacktestRoutingResponse> RoutingModels::Backtest(absl::Time train_until,
                                                                    absl::Time test_from) const {
  if (test_from < train_until) {
    return absl::InvalidArgumentError("test_from: before train_until");
  }
  ASSIGN_OR_RETURN(std::vector<Closed> closed, ClosedCases());
  std::vector<LabeledCase> train;
  std::vector<Closed> test;
  for (Closed& c : closed) {
    if (c.opened < train_until) {
      train.push_back(c.labeled);
    } else if (c.opened >= test_from) {
      test.push_back(std::move(c));
    }
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const RouteModel> model,
                   RouteModel::Train(train, Options(), clock_->Now(), train_until));
  std::vector<BacktestCase> cases;
  const Stopwatch predicting_time;
  for (Closed& c : test) cases.push_back({c.labeled, model->Predict(c.labeled.features), ""});
  const absl::Duration predicting = predicting_time.Elapsed();
  std::vector<LabeledCase> truths;
  for (const BacktestCase& c : cases) truths.push_back(c.truth);
  ASSIGN_OR_RETURN(const PlainAnswers plain, PlainFastText(train, truths, Options().scratch_dir));
  for (size_t i = 0; i < cases.size(); ++i) {
    cases[i].plain_department = plain.departments[i];
    cases[i].plain_team = plain.teams[i];
  }
  for (size_t i = 0; i < cases.size(); ++i) {
    const RouteCase& f = cases[i].truth.features;
    cases[i].rules_department =
        router_->Route({f.category, test[i].priority, f.community, {}}).department();
  }
  v1::BacktestRoutingResponse response = dispatch::Backtest(train, cases);
  if (!cases.empty()) {
    response.set_predict_micros(absl::ToDoubleMicroseconds(predicting) / cases.size());
  }
  return response;
}

std::optional<ModelAnswer> RoutingModels::Predict(const v1::ComplaintView& view) const {
  std::shared_ptr<const RouteModel> model;
  {
    absl::MutexLock lock(&mu_);
    model = active_;
  }
  if (model == nullptr) return std::nullopt;
  return model->Predict(RouteCaseOf(view));
}

}  // namespace complaints::dispatch
