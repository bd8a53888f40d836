#include "services/dispatch/domain/route_backtest.h"

#include "gtest/gtest.h"

namespace complaints::dispatch {
namespace {

LabeledCase Case(const std::string& category, v1::Channel channel, const std::string& department,
                 const std::string& team = "") {
  return {"", {"", category, "", channel}, department, team};
}

double Accuracy(const v1::BacktestRoutingResponse& response, const std::string& method) {
  for (const v1::RouteAccuracy& accuracy : response.methods()) {
    if (accuracy.method() == method) return accuracy.department();
  }
  ADD_FAILURE() << "no method " << method;
  return -1;
}

TEST(Backtest, ComparesTheModelWithMajoritiesAndTheRules) {
  // Training: water goes to engineering, noise to security; phone calls are
  // mostly about noise.
  const std::vector<LabeledCase> train = {
      Case("water", v1::CHANNEL_APP, "engineering", "plumbers"),
      Case("water", v1::CHANNEL_APP, "engineering", "plumbers"),
      Case("noise", v1::CHANNEL_PHONE, "security", "night"),
      Case("noise", v1::CHANNEL_PHONE, "security", "night"),
      Case("noise", v1::CHANNEL_PHONE, "security", "night"),
  };
  std::vector<BacktestCase> test = {
      {Case("water", v1::CHANNEL_PHONE, "engineering", "plumbers"),
       {"v", "engineering", 0.9, "plumbers", 0.9},
       "engineering",
       "engineering",
       "night"},
      {Case("noise", v1::CHANNEL_APP, "security", "night"),
       {"v", "security", 0.95, "night", 0.8},
       "customer-service",
       "security",
       "night"},
      {Case("water", v1::CHANNEL_APP, "cleaning", "sweepers"),
       {"v", "engineering", 0.55, "plumbers", 0.5},
       "engineering",
       "engineering",
       "plumbers"},
      {Case("lift", v1::CHANNEL_APP, "engineering", ""),
       {"v", "engineering", 0.7, "", 0},
       "customer-service",
       "security",
       ""},
  };
  const v1::BacktestRoutingResponse response = Backtest(train, test);
  EXPECT_EQ(response.train_cases(), 5);
  EXPECT_EQ(response.test_cases(), 4);
  EXPECT_DOUBLE_EQ(Accuracy(response, "model"), 0.75);
  EXPECT_DOUBLE_EQ(Accuracy(response, "majority class"), 0.25);       // security
  EXPECT_DOUBLE_EQ(Accuracy(response, "majority by category"), 0.5);  // lift: unseen -> security
  EXPECT_DOUBLE_EQ(Accuracy(response, "majority by channel"),
                   0.25);  // phone -> security, app -> engineering
  EXPECT_DOUBLE_EQ(Accuracy(response, "configured rules"), 0.25);
  EXPECT_DOUBLE_EQ(Accuracy(response, "plain fastText"), 0.5);
  EXPECT_DOUBLE_EQ(response.methods(0).team(), 2.0 / 3);  // of the three with a team
  EXPECT_EQ(response.methods(1).method(), "plain fastText");
  EXPECT_DOUBLE_EQ(response.methods(1).team(), 1.0 / 3);

  ASSERT_EQ(response.confusion_size(), 3);
  EXPECT_EQ(response.confusion(0).department(), "engineering");
  EXPECT_EQ(response.confusion(0).cases(), 2);
  EXPECT_EQ(response.confusion(0).correct(), 2);
  const v1::DepartmentConfusion& cleaning = response.confusion(1).department() == "cleaning"
                                                ? response.confusion(1)
                                                : response.confusion(2);
  EXPECT_EQ(cleaning.confused_with(), "engineering");
  EXPECT_EQ(cleaning.confused(), 1);

  // At 0.8: two of four cases covered, both right.
  for (const v1::ThresholdPoint& point : response.thresholds()) {
    if (point.threshold() != 0.8) continue;
    EXPECT_DOUBLE_EQ(point.coverage(), 0.5);
    EXPECT_DOUBLE_EQ(point.accuracy(), 1.0);
  }
  EXPECT_DOUBLE_EQ(response.thresholds(0).coverage(), 1.0);
}

}  // namespace
}  // namespace complaints::dispatch
