// Date and time arguments: a bare date is midnight in the centre's zone, here
// New York across its change to daylight time (Sunday 2026-03-08, 02:00 EST
// -> 03:00 EDT).
#include "tools/complaintctl/when.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace complaints::ctl {
namespace {

using ::testing::HasSubstr;

absl::Time Utc(int d, int h, int m = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, 3, d, h, m), absl::UTCTimeZone());
}

class WhenTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(absl::LoadTimeZone("America/New_York", &new_york_)); }

  ZoneSource Centre() {
    return [this]() -> absl::StatusOr<absl::TimeZone> {
      ++asked_;
      return new_york_;
    };
  }
  absl::Time When(absl::string_view text) {
    absl::StatusOr<absl::Time> at = ParseWhen("--as_of", text, Centre());
    EXPECT_TRUE(at.ok()) << text << ": " << at.status();
    return at.value_or(absl::InfinitePast());
  }

  absl::TimeZone new_york_;
  int asked_ = 0;
};

TEST_F(WhenTest, ABareDateIsMidnightInTheCentresZoneAcrossTheChange) {
  EXPECT_EQ(When("2026-03-07"), Utc(7, 5)) << "EST, UTC-5";
  EXPECT_EQ(When("2026-03-08"), Utc(8, 5)) << "the change comes at 02:00";
  EXPECT_EQ(When("2026-03-09"), Utc(9, 4)) << "EDT, UTC-4";
  EXPECT_EQ(When("2026-03-09") - When("2026-03-08"), absl::Hours(23)) << "a short day";
  EXPECT_EQ(When("2026-03-08T12:00"), Utc(8, 16));
  EXPECT_EQ(When("2026-03-08T01:59:59"), Utc(8, 6, 59) + absl::Seconds(59));
  // 02:30 did not happen that day: read as the time it would have been before.
  EXPECT_EQ(When("2026-03-08T02:30"), Utc(8, 7, 30));
  EXPECT_GT(asked_, 0);
}

TEST_F(WhenTest, AnOffsetOrAZoneWinsAndNeedsNoServer) {
  ZoneSource never = []() -> absl::StatusOr<absl::TimeZone> {
    ADD_FAILURE() << "the centre's zone is not needed";
    return absl::UnavailableError("no server");
  };
  EXPECT_EQ(*ParseWhen("--until", "2026-03-08Z", never), Utc(8, 0));
  EXPECT_EQ(*ParseWhen("--until", "2026-03-08T09:00:00+08:00", never), Utc(8, 1));
  EXPECT_EQ(*ParseWhen("--until", "2026-03-08T09:00-05:00", never), Utc(8, 14));
  EXPECT_EQ(*ParseWhen("--until", "2026-03-09[America/New_York]", never), Utc(9, 4));
  EXPECT_EQ(*ParseWhen("--until", "2026-03-09T08:00[Asia/Shanghai]", never), Utc(9, 0));
}

TEST_F(WhenTest, ADayArgumentIsTheCentresDay) {
  ZoneSource never = []() -> absl::StatusOr<absl::TimeZone> {
    return absl::UnavailableError("no server");
  };
  EXPECT_EQ(*ParseDay("--from", "2026-03-08", never), "2026-03-08") << "a bare date as given";
  // 08:00 in Shanghai on the 9th is 20:00 EDT on the 8th in New York.
  EXPECT_EQ(*ParseDay("--from", "2026-03-09T08:00+08:00", Centre()), "2026-03-08");
  EXPECT_EQ(*ParseDay("--to", "2026-03-09[Asia/Shanghai]", Centre()), "2026-03-08");
  EXPECT_EQ(*ParseDay("--to", "2026-03-09T04:30Z", Centre()), "2026-03-09");
  EXPECT_EQ(*ParseDay("--to", "2026-03-09T03:30Z", Centre()), "2026-03-08") << "23:30 EDT";
  EXPECT_THAT(std::string(ParseDay("--to", "2026-03-09T08:00Z", never).status().message()),
              HasSubstr("no server"));
}

TEST_F(WhenTest, AnythingElseNamesTheFlagAndTheForms) {
  for (const char* bad :
       {"", "yesterday", "2026-3-8", "2026-02-30", "2026-03-08T25:00", "2026-03-08T09:00+8",
        "2026-03-08T09:00+24:00", "1772928000", "2026-03-08 09:00", "2026-03-08[", "2026-03-08]"}) {
    absl::StatusOr<absl::Time> at = ParseWhen("--due_before", bad, Centre());
    ASSERT_FALSE(at.ok()) << bad;
    EXPECT_THAT(std::string(at.status().message()), HasSubstr("--due_before: ")) << bad;
    EXPECT_EQ(at.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_THAT(
      std::string(ParseWhen("--as_of", "2026-03-08[Mars/Base]", Centre()).status().message()),
      HasSubstr("\"Mars/Base\" is not a known IANA zone"));
}

}  // namespace
}  // namespace complaints::ctl
