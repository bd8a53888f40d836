// §3.1 assigning the person: round robin, least loaded, skill match, capacity.
#include "services/dispatch/domain/handler_picker.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/dispatch/domain/test_routing.h"

namespace complaints::dispatch {
namespace {

using ::testing::HasSubstr;

const v1::HandlerPool& Pool(int index) {
  static const v1::RoutingRules rules = TestRouting();
  return rules.pools(index);
}

TEST(HandlerPicker, RoundRobinTakesTurnsAndSkipsFullHandlers) {
  const v1::HandlerPool& pool = Pool(2);  // customer-service: xu, sun, ma
  Workload workload;
  EXPECT_EQ(PickHandler(pool, "fees", workload).handler, "cs.xu");
  workload.turns["customer-service"] = 1;
  EXPECT_EQ(PickHandler(pool, "fees", workload).handler, "cs.sun");
  workload.turns["customer-service"] = 5;
  EXPECT_EQ(PickHandler(pool, "fees", workload).handler, "cs.ma");
  EXPECT_EQ(PickHandler(pool, "fees", workload).reason, "next in turn");
}

TEST(HandlerPicker, LeastLoadedTakesTheFewestOpen) {
  Workload workload;
  workload.open = {{"sec.chen", 4}, {"sec.liu", 2}};
  Pick pick = PickHandler(Pool(1), "noise", workload);
  EXPECT_EQ(pick.handler, "sec.liu");
  EXPECT_THAT(pick.reason, HasSubstr("least loaded, 2 open"));
  workload.open["sec.liu"] = 4;
  EXPECT_EQ(PickHandler(Pool(1), "noise", workload).handler, "sec.chen")
      << "a tie goes to the first";
}

TEST(HandlerPicker, SkillMatchPrefersTheSkilledThenFallsBackToLoad) {
  Workload workload;
  workload.open = {{"eng.zhang", 1}};
  Pick skilled = PickHandler(Pool(0), "plumbing", workload);
  EXPECT_EQ(skilled.handler, "eng.zhang");
  EXPECT_THAT(skilled.reason, HasSubstr("skilled in plumbing"));
  Pick unskilled = PickHandler(Pool(0), "structure", workload);
  EXPECT_EQ(unskilled.handler, "eng.li");
  EXPECT_THAT(unskilled.reason, HasSubstr("nobody free is skilled in structure"));
  workload.open["eng.zhang"] = 2;  // at capacity
  EXPECT_EQ(PickHandler(Pool(0), "plumbing", workload).handler, "eng.li");
}

TEST(HandlerPicker, EveryoneAtCapacityLeavesItToTheDepartment) {
  Workload workload;
  workload.open = {{"eng.zhang", 2}, {"eng.li", 2}};
  Pick pick = PickHandler(Pool(0), "plumbing", workload);
  EXPECT_EQ(pick.handler, "");
  EXPECT_THAT(pick.reason, HasSubstr("all 2 handlers of engineering are at capacity"));
}

}  // namespace
}  // namespace complaints::dispatch
