// Dispatch's routing models over a real RocksDB store: trained from the
// closed cases in it, stored by version, activated, rolled back, kept
// across a restart, and backtested.
#include "services/dispatch/app/routing_models.h"

#include "gtest/gtest.h"
#include "libs/core/time_util.h"
#include "libs/runner/partitioning.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"
#include "services/dispatch/app/dispatch_families.h"
#include "services/dispatch/domain/test_routing.h"

namespace complaints::dispatch {
namespace {

const absl::Time kDay1 = absl::FromUnixSeconds(1'790'000'000);

// A resolved complaint about `text` that `department` (team `team`) handled.
v1::ComplaintView Resolved(int i, const std::string& text, const std::string& department,
                           const std::string& team, absl::Time received) {
  v1::ComplaintView view;
  view.set_complaint_id("C" + std::to_string(i));
  view.mutable_intake()->set_received(true);
  view.mutable_intake()->set_content(text + " no. " + std::to_string(i % 5));
  view.mutable_intake()->set_channel(v1::CHANNEL_PHONE);
  view.mutable_intake()->set_priority(v1::PRIORITY_P3);
  *view.mutable_intake()->mutable_received_at() = ToProto(received);
  view.mutable_dispatch()->set_department(department);
  view.mutable_dispatch()->set_team(team);
  *view.mutable_tracking()->mutable_handling()->mutable_resolved_at() =
      ToProto(received + absl::Hours(3));
  return view;
}

class RoutingModelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = *Store::Open(dir_.Sub("db"), Store::kDefaultPartitions, dispatch::kFamilies);
    Batch batch;
    for (int i = 0; i < 240; ++i) {
      const absl::Time received = kDay1 + absl::Hours(i);
      const v1::ComplaintView view =
          i % 2 == 0 ? Resolved(i, "kitchen pipe leak water", "engineering", "plumbers", received)
                     : Resolved(i, "loud music noise party", "security", "night patrol", received);
      batch.Put(Family::kState, ComplaintKey(view.complaint_id(), store_->partitions()),
                view.SerializeAsString());
    }
    // Still open: not learnt from.
    v1::ComplaintView open = Resolved(999, "kitchen pipe leak water", "cleaning", "", kDay1);
    open.mutable_tracking()->mutable_handling()->clear_resolved_at();
    batch.Put(Family::kState, ComplaintKey("C999", store_->partitions()), open.SerializeAsString());
    ASSERT_TRUE(store_->Write(batch, Durability::kSynced).ok());
    models_ = std::make_unique<RoutingModels>(store_.get(), &clock_, &router_, dir_.path());
  }

  static v1::ComplaintView Asking(const std::string& text) {
    return Resolved(5000, text, "", "", kDay1);
  }

  complaints::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  complaints::testing::FakeClock clock_{kDay1 + absl::Hours(24 * 30)};
  Router router_ = *Router::Create(TestRouting());
  std::unique_ptr<RoutingModels> models_;
};

TEST_F(RoutingModelsTest, TrainsActivatesRollsBackAndKeepsItsChoiceAcrossARestart) {
  EXPECT_FALSE(models_->Predict(Asking("water leak")).has_value());  // none active yet

  // The first model learns from the first 100 hours only: 100 cases, 90 of them taught.
  auto first = models_->Train(kDay1 + absl::Hours(100), /*activate=*/true);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->active());
  EXPECT_EQ(first->departments(), 2);
  EXPECT_LT(first->cases(), 100);
  std::optional<ModelAnswer> answer = models_->Predict(Asking("water leak in the kitchen pipe"));
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->department, "engineering");
  EXPECT_EQ(answer->team, "plumbers");
  EXPECT_EQ(answer->version, first->version());

  auto second = models_->Train(kDay1 + absl::Hours(1000), /*activate=*/true);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_NE(second->version(), first->version());
  EXPECT_EQ(models_->Predict(Asking("loud party"))->version, second->version());

  auto listed = models_->List();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  int active = 0;
  for (const v1::RoutingModel& model : *listed) active += model.active();
  EXPECT_EQ(active, 1);

  // Roll back to the first; a restart keeps it.
  ASSERT_TRUE(models_->Activate(first->version()).ok());
  EXPECT_EQ(models_->Predict(Asking("loud party"))->version, first->version());
  RoutingModels restarted(store_.get(), &clock_, &router_, dir_.path());
  ASSERT_TRUE(restarted.LoadActive().ok());
  EXPECT_EQ(restarted.Predict(Asking("loud party"))->version, first->version());

  // Off: the rules alone.
  ASSERT_TRUE(models_->Activate("").ok());
  EXPECT_FALSE(models_->Predict(Asking("loud party")).has_value());
  EXPECT_EQ(models_->Activate("0000000000000000").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(RoutingModelsTest, TooFewClosedCasesTrainNothing) {
  EXPECT_EQ(models_->Train(kDay1 + absl::Hours(20), true).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(models_->Predict(Asking("water")).has_value());
}

TEST_F(RoutingModelsTest, BacktestsOnCasesOpenedAfterTheCut) {
  auto response = models_->Backtest(kDay1 + absl::Hours(160), kDay1 + absl::Hours(160));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->test_cases(), 80);
  EXPECT_EQ(response->methods(0).method(), "model");
  EXPECT_DOUBLE_EQ(response->methods(0).department(), 1.0);
  EXPECT_GT(response->predict_micros(), 0);
  EXPECT_EQ(models_->Backtest(kDay1 + absl::Hours(10), kDay1).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace complaints::dispatch
