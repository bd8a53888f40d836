#include "libs/core/ids.h"

#include <set>

#include "gtest/gtest.h"

namespace complaints {
namespace {

TEST(Ids, SameSeedGivesSameComplaintIds) {
  RandomIdGenerator a(42), b(42);
  const absl::Time now = absl::FromUnixSeconds(1'790'000'000);
  EXPECT_EQ(a.NewComplaintId(now), b.NewComplaintId(now));
}

TEST(Ids, ComplaintIdsDoNotRepeat) {
  RandomIdGenerator ids(7);
  std::set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) {
    EXPECT_TRUE(seen.insert(ids.NewComplaintId(absl::UnixEpoch())).second);
  }
}

TEST(Ids, ComplaintIdCarriesTheDayInTheCentresZone) {
  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  RandomIdGenerator ids(1, shanghai);
  // 20:00 UTC on the 26th is 04:00 on the 27th in Shanghai, where it is counted.
  const absl::Time evening =
      absl::FromCivil(absl::CivilSecond(2026, 11, 26, 20, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(ids.NewComplaintId(evening).substr(0, 10), "C20261127-");
}

TEST(Ids, ComplaintIdCarriesTheUtcDayByDefault) {
  RandomIdGenerator ids(1);
  const std::string id =
      ids.NewComplaintId(absl::FromCivil(absl::CivilDay(2026, 11, 26), absl::UTCTimeZone()));
  EXPECT_EQ(id.substr(0, 10), "C20261126-");
  EXPECT_EQ(id.size(), 26u);
}

TEST(Ids, EventIdIsDeterministicPerWriterAndSequence) {
  EXPECT_EQ(EventId("C1", v1::WRITER_DISPATCH, 3), "C1/dispatch/3");
  EXPECT_NE(EventId("C1", v1::WRITER_DISPATCH, 3), EventId("C1", v1::WRITER_TRACKING, 3));
}

TEST(Ids, StableHashIsFnv1a) {
  EXPECT_EQ(StableHash(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(StableHash("a"), 0xaf63dc4c8601ec8cull);
}

}  // namespace
}  // namespace complaints
