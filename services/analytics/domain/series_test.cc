// §5.1 trends: a complaint sits in one day of each of its series, and moves
// only when what the series are keyed by changes.
#include "services/analytics/domain/series.h"

#include <functional>

#include "gtest/gtest.h"
#include "libs/complaint/view.h"
#include "libs/testing/events.h"
#include "services/analytics/domain/forecast_testing.h"

namespace complaints::analytics {
namespace {

using namespace complaints::testing;

const absl::TimeZone& kShanghai = testing::Shanghai();

v1::ComplaintView Counted() {
  v1::ComplaintView view;
  for (const v1::Envelope& event :
       {Received("C1"), Classified("C1", "noise", v1::PRIORITY_P3), Assigned("C1", "security")}) {
    view = Evolve(std::move(view), event);
  }
  return view;
}

// SeriesChanges skips views whose key inputs are equal: each input, changed
// alone, must still move the complaint out of a series and into another.
TEST(SeriesChanges, EachInputOfTheKeysMovesTheComplaint) {
  const v1::ComplaintView before = Counted();
  ASSERT_FALSE(before.intake().location().community().empty());
  const std::vector<std::pair<const char*, std::function<void(v1::ComplaintView&)>>> changes = {
      {"category", [](v1::ComplaintView& v) { v.mutable_intake()->set_category("leak"); }},
      {"day",
       [](v1::ComplaintView& v) {
         auto* at = v.mutable_intake()->mutable_received_at();
         at->set_seconds(at->seconds() + 86'400);
       }},
      {"channel",
       [](v1::ComplaintView& v) { v.mutable_intake()->set_channel(v1::CHANNEL_LETTER); }},
      {"community",
       [](v1::ComplaintView& v) {
         v.mutable_intake()->mutable_location()->set_community("Riverside");
       }},
      {"public area instead of a community",
       [](v1::ComplaintView& v) {
         v.mutable_intake()->mutable_location()->clear_community();
         v.mutable_intake()->mutable_location()->set_public_area("North Gate");
       }},
      {"department", [](v1::ComplaintView& v) { v.mutable_dispatch()->set_department("works"); }},
      {"no longer received", [](v1::ComplaintView& v) { v.mutable_intake()->set_received(false); }},
  };
  for (const auto& [input, change] : changes) {
    v1::ComplaintView after = before;
    change(after);
    EXPECT_FALSE(SeriesChanges(before, after, kShanghai).empty()) << input;
  }
  v1::ComplaintView assigned = before;
  assigned.mutable_dispatch()->set_department("works");
  const auto moved = SeriesChanges(before, assigned, kShanghai);
  ASSERT_EQ(moved.size(), 2u);
  EXPECT_EQ(moved[0].second + moved[1].second, 0) << "out of one series, into another";
}

TEST(SeriesChanges, WhatTheKeysDoNotReadMovesNothing) {
  const v1::ComplaintView before = Counted();
  v1::ComplaintView after = before;
  after.mutable_dispatch()->set_handler("h-7");
  after.mutable_intake()->set_priority(v1::PRIORITY_P1);
  after.mutable_intake()->mutable_received_at()->set_nanos(5);  // the same day
  after.mutable_tracking()->mutable_handling()->set_status(v1::HANDLING_STATUS_RESOLVED);
  EXPECT_TRUE(SeriesChanges(before, after, kShanghai).empty());
  EXPECT_EQ(SeriesChanges(v1::ComplaintView(), before, kShanghai).size(), 5u)
      << "all, category, department, channel and community: one each";
}

TEST(Series, ADayIsReadAsParseCivilTimeReadsIt) {
  for (absl::CivilDay day(1900, 1, 1); day <= absl::CivilDay(2100, 12, 31); ++day) {
    const std::string text = absl::FormatCivilTime(day);
    absl::CivilDay parsed;
    ASSERT_TRUE(ParseDay(text, &parsed)) << text;
    ASSERT_EQ(parsed, day);
  }
  for (const char* text : {"2026-02-29", "2024-02-30", "2026-13-01", "2026-00-10", "2026-01-00",
                           "2026-1-01", "2026-01-1", "20260110", "2026/01/10", "2026-01-10x",
                           "abcd-ef-gh", "", "-026-01-10", "2026-01-32", "0000-00-00"}) {
    absl::CivilDay mine, theirs;
    EXPECT_EQ(ParseDay(text, &mine), absl::ParseCivilTime(text, &theirs)) << text;
  }
  absl::CivilDay leap;
  EXPECT_TRUE(ParseDay("2024-02-29", &leap));
  EXPECT_EQ(leap, absl::CivilDay(2024, 2, 29));
}

}  // namespace
}  // namespace complaints::analytics
