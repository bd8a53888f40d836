// §5.1 hot issues: what rises significantly, and what does not.
#include "services/analytics/domain/hot_issues.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/complaint/view.h"
#include "libs/testing/events.h"
#include "services/analytics/domain/forecast_testing.h"

namespace complaints::analytics {
namespace {

using namespace complaints::testing;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

const absl::TimeZone& kShanghai = testing::Shanghai();

TEST(BinomialUpperTail, MatchesExactValues) {
  EXPECT_DOUBLE_EQ(BinomialUpperTail(0, 10, 0.3), 1.0);
  EXPECT_DOUBLE_EQ(BinomialUpperTail(11, 10, 0.3), 0.0);
  EXPECT_NEAR(BinomialUpperTail(10, 10, 0.5), 1.0 / 1024, 1e-12);
  // P(X >= 8 | n = 10, p = 0.2) = 45·0.2^8·0.8^2 + 10·0.2^9·0.8 + 0.2^10
  EXPECT_NEAR(BinomialUpperTail(8, 10, 0.2), 7.79264e-5, 1e-9);
  EXPECT_NEAR(BinomialUpperTail(1, 3, 0.5), 0.875, 1e-12);
}

WindowCounts Community(int64_t recent_total, int64_t baseline_total) {
  WindowCounts counts;
  counts.recent_total = recent_total;
  counts.baseline_total = baseline_total;
  return counts;
}

TEST(RisingItems, ATermThatJumpedIsFoundAndASteadyOneIsNot) {
  // 100 complaints a week: "漏水" from 2 a week to 20, "电梯" steady at 10.
  WindowCounts counts = Community(100, 400);
  counts.items[{kHotTerm, "漏水"}] = {20, 8};
  counts.items[{kHotTerm, "电梯"}] = {10, 40};
  counts.items[{kHotCategory, "plumbing"}] = {25, 20};
  int tested = 0;
  const std::vector<RisingItem> rising = RisingItems(counts, HotOptions(), &tested);
  EXPECT_EQ(tested, 3);
  ASSERT_EQ(rising.size(), 2u);
  EXPECT_EQ(rising[0].item, "漏水");
  EXPECT_EQ(rising[1].item, "plumbing");
  EXPECT_LT(rising[0].q_value, 1e-6);
  EXPECT_NEAR(rising[0].rate_ratio, (20.0 / 100) / (8.5 / 400.5), 1e-9);
}

TEST(RisingItems, SmallCountsNeverStandOutOnTheirRatio) {
  // Four complaints of a never-seen term: a huge ratio, but below the term minimum.
  WindowCounts counts = Community(30, 120);
  counts.items[{kHotTerm, "渗水"}] = {4, 0};
  // Three of a category seen once before: enough to test, not significant.
  counts.items[{kHotCategory, "pest"}] = {3, 4};
  int tested = 0;
  EXPECT_THAT(RisingItems(counts, HotOptions(), &tested), IsEmpty());
  EXPECT_EQ(tested, 1);
}

TEST(RisingItems, TheFalseDiscoveryRateCorrectsForManyTerms) {
  // 200 terms each with 5 recent and 10 baseline complaints: p ≈ 0.16 each,
  // nothing survives; one at 15 vs 10 does.
  WindowCounts counts = Community(500, 2000);
  for (int i = 0; i < 200; ++i) counts.items[{kHotTerm, "term" + std::to_string(i)}] = {5, 10};
  counts.items[{kHotTerm, "flood"}] = {15, 10};
  int tested = 0;
  const std::vector<RisingItem> rising = RisingItems(counts, HotOptions(), &tested);
  EXPECT_EQ(tested, 201);
  ASSERT_EQ(rising.size(), 1u);
  EXPECT_EQ(rising[0].item, "flood");
  EXPECT_GT(rising[0].q_value, rising[0].p_value);
}

TEST(HotChanges, AComplaintCountsItsCategoryAndTermsOnceInItsCommunity) {
  v1::ComplaintView view;
  view = Evolve(std::move(view), Received("C1", 1, "2026-11-26T10:00:00+08:00"));
  view.mutable_intake()->set_content("水管爆裂 水管漏水");
  v1::ComplaintView classified = Evolve(view, Classified("C1", "plumbing", v1::PRIORITY_P2));
  std::vector<std::string> items;
  for (const auto& [key, delta] : HotChanges(view, classified, kShanghai)) {
    absl::StatusOr<HotKey> parsed = ParseHotKey(key);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->community, "Sunshine Garden");
    EXPECT_EQ(parsed->day, absl::CivilDay(2026, 11, 26));
    EXPECT_EQ(delta, 1);
    items.push_back(std::string(1, parsed->kind) + parsed->item);
  }
  EXPECT_THAT(items, ::testing::UnorderedElementsAre("n", "cplumbing", "t水管", "t爆裂", "t漏水"));
  // Reclassified: the category moves, the terms stay.
  v1::ComplaintView moved = classified;
  moved.mutable_intake()->set_category("roof");
  std::vector<std::pair<std::string, int64_t>> changes = HotChanges(classified, moved, kShanghai);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(ParseHotKey(changes[0].first)->item, "plumbing");
  EXPECT_EQ(changes[0].second, -1);
  EXPECT_EQ(ParseHotKey(changes[1].first)->item, "roof");
  EXPECT_EQ(changes[1].second, +1);
  EXPECT_THAT(HotChanges(moved, moved, kShanghai), IsEmpty());
}

TEST(HotKeys, AMalformedKeyIsDataLoss) {
  EXPECT_EQ(ParseHotKey("H\x1f"
                        "x\x1f"
                        "2026-13-01\x1f"
                        "tpipe")
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(ParseHotKey("H\x1f"
                        "x\x1f"
                        "2026-11-01\x1f"
                        "qpipe")
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
  EXPECT_TRUE(ParseHotKey("H\x1f"
                          "x\x1f"
                          "2026-11-01\x1f"
                          "tpipe")
                  .ok());
}

}  // namespace
}  // namespace complaints::analytics
