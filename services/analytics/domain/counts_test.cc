// §5.1 data analysis: each complaint is counted exactly once, in its current bucket.
#include "services/analytics/domain/counts.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/complaint/view.h"
#include "libs/testing/events.h"
#include "services/analytics/domain/forecast_testing.h"

namespace complaints::analytics {
namespace {

using namespace complaints::testing;
using ::testing::ElementsAre;
using ::testing::Pair;

const absl::TimeZone& kShanghai = testing::Shanghai();

v1::ComplaintView Fold(const std::vector<v1::Envelope>& events) {
  v1::ComplaintView view;
  for (const v1::Envelope& event : events) view = Evolve(std::move(view), event);
  return view;
}

TEST(Counts, ReceivedButUnclassifiedIsNotCounted) {
  EXPECT_FALSE(BucketOf(Fold({Received("C1")}), kShanghai).has_value());
}

TEST(Counts, DayIsTheCentresLocalDay) {
  // 23:30 on 26 Nov in Shanghai is still 26 Nov there, though 15:30 UTC.
  auto view = Fold(
      {Received("C1", 1, "2026-11-26T23:30:00+08:00"), Classified("C1", "noise", v1::PRIORITY_P3)});
  EXPECT_EQ(BucketOf(view, kShanghai)->day(), "2026-11-26");
  auto early = Fold(
      {Received("C1", 1, "2026-11-27T00:30:00+08:00"), Classified("C1", "noise", v1::PRIORITY_P3)});
  EXPECT_EQ(BucketOf(early, kShanghai)->day(), "2026-11-27");
}

TEST(Counts, ClassificationCountsOnceAsUnassigned) {
  auto before = Fold({Received("C1")});
  auto after = Evolve(before, Classified("C1", "noise", v1::PRIORITY_P3));
  auto changes = CountChanges(before, after, kShanghai);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].second, 1);
  EXPECT_EQ(ParseBucketKey(changes[0].first)->department(), kUnassigned);
}

TEST(Counts, AssignmentMovesTheComplaintToItsDepartment) {
  auto before = Fold({Received("C1"), Classified("C1", "noise", v1::PRIORITY_P3)});
  auto after = Evolve(before, Assigned("C1", "security"));
  auto changes = CountChanges(before, after, kShanghai);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(ParseBucketKey(changes[0].first)->department(), kUnassigned);
  EXPECT_EQ(changes[0].second, -1);
  EXPECT_EQ(ParseBucketKey(changes[1].first)->department(), "security");
  EXPECT_EQ(changes[1].second, 1);
}

TEST(Counts, AssignmentBeforeClassificationCountsOnceInTheDepartment) {
  auto before = Fold({Received("C1"), Assigned("C1", "security")});
  auto after = Evolve(before, Classified("C1", "noise", v1::PRIORITY_P3));
  auto changes = CountChanges(before, after, kShanghai);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(ParseBucketKey(changes[0].first)->department(), "security");
}

TEST(Counts, EventsThatDoNotMoveTheBucketChangeNothing) {
  auto before = Fold(
      {Received("C1"), Classified("C1", "noise", v1::PRIORITY_P3), Assigned("C1", "security")});
  EXPECT_TRUE(CountChanges(before, Evolve(before, Deadlines("C1")), kShanghai).empty());
}

TEST(Counts, BucketKeyRoundTripsAndSortsByDay) {
  v1::CountRow row;
  row.set_day("2026-11-26");
  row.set_category("漏水");
  row.set_priority(v1::PRIORITY_P2);
  row.set_department("工程部");
  auto parsed = ParseBucketKey(BucketKey(row));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->category(), "漏水");
  EXPECT_EQ(parsed->department(), "工程部");
  EXPECT_EQ(parsed->priority(), v1::PRIORITY_P2);
  v1::CountRow later = row;
  later.set_day("2026-11-27");
  later.set_category("a");
  EXPECT_LT(BucketKey(row), BucketKey(later));
  EXPECT_FALSE(ParseBucketKey("garbage").ok());
}

TEST(Counts, DaysAreValidated) {
  EXPECT_TRUE(ValidateDay("from_day", "").ok());
  EXPECT_TRUE(ValidateDay("from_day", "2026-02-28").ok());
  EXPECT_THAT(std::string(ValidateDay("to_day", "2026-13-01").message()),
              ::testing::HasSubstr("to_day"));
  EXPECT_FALSE(ValidateDay("to_day", "26-11-2026").ok());
  EXPECT_TRUE(ValidateDayRange("", "").ok());
  EXPECT_TRUE(ValidateDayRange("2026-11-27", "2026-11-27").ok());
  EXPECT_TRUE(ValidateDayRange("", "2026-11-27").ok());
  EXPECT_THAT(std::string(ValidateDayRange("2026-11-28", "2026-11-27").message()),
              ::testing::HasSubstr("to_day: before from_day"));
  EXPECT_THAT(std::string(ValidateDayRange("2026-11-31", "").message()),
              ::testing::HasSubstr("from_day"));
}

}  // namespace
}  // namespace complaints::analytics
