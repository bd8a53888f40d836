#include "services/dispatch/domain/route_features.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace complaints::dispatch {
namespace {

using ::testing::ElementsAre;

TEST(Words, SegmentsChineseByIcuWordBreakAndEnglishByWords) {
  // ICU's dictionary splits the run of Han characters into words.
  EXPECT_THAT(Words("电梯困人"), ElementsAre("电梯", "困", "人"));
  EXPECT_THAT(Words("Kitchen LEAK, again!"), ElementsAre("kitchen", "leak", "again"));
  EXPECT_THAT(Words("3号楼 water leak"), ElementsAre("3", "号", "楼", "water", "leak"));
  EXPECT_TRUE(Words("  ,.!? ").empty());
}

TEST(FeatureLine, AddsCategoryCommunityAndChannelAsTokens) {
  EXPECT_EQ(
      FeatureLine({"Noise from the bar", "Noise - Commercial", "12 BROOKLYN", v1::CHANNEL_PHONE}),
      "noise from the bar cat=Noise_-_Commercial community=12_BROOKLYN "
      "channel=CHANNEL_PHONE");
  EXPECT_EQ(FeatureLine({"", "", "", v1::CHANNEL_APP}), "channel=CHANNEL_APP");
}

// The place's last two parts (city and ZIP, or state and ZIP) as tokens; the
// street, the most specific part, teaches little.
TEST(FeatureLine, AddsTheCityAndZipOfThePlaceAsTokens) {
  EXPECT_EQ(FeatureLine({"Street light out", "", "12 BROOKLYN", v1::CHANNEL_PHONE,
                         "123 ATLANTIC AVENUE, BROOKLYN, 11217"}),
            "street light out community=12_BROOKLYN place=brooklyn place=11217 "
            "channel=CHANNEL_PHONE");
  EXPECT_EQ(FeatureLine({"", "", "", v1::CHANNEL_APP, "CA, 900XX"}),
            "place=ca place=900xx channel=CHANNEL_APP");
  EXPECT_EQ(FeatureLine({"", "", "", v1::CHANNEL_APP, " , "}), "channel=CHANNEL_APP");
}

}  // namespace
}  // namespace complaints::dispatch
