// §4.2 records: the complaint as known at any time T.
#include "libs/complaint/as_of.h"

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
#include "libs/testing/events.h"

namespace complaints {
namespace {

using namespace complaints::testing;

std::vector<v1::Envelope> History() {
  std::vector<v1::Envelope> events = {Received("C1"), Classified("C1", "noise", v1::PRIORITY_P3),
                                      Assigned("C1", "security"), Deadlines("C1")};
  for (size_t i = 0; i < events.size(); ++i) {
    *events[i].mutable_recorded_at() =
        ToProto(absl::FromUnixSeconds(1'795'000'000 + 60 * static_cast<int64_t>(i)));
  }
  return events;
}

TEST(ViewAsOf, BetweenEventsShowsWhatWasKnownThen) {
  const std::vector<v1::Envelope> events = History();
  v1::ComplaintView before_assignment = ViewAsOf(events, absl::FromUnixSeconds(1'795'000'000 + 90));
  EXPECT_EQ(before_assignment.intake().category(), "noise");
  EXPECT_TRUE(before_assignment.dispatch().department().empty());
  EXPECT_FALSE(ViewAsOf(events, absl::FromUnixSeconds(1'794'999'999)).intake().received());
}

TEST(ViewAsOf, AsOfNowEqualsTheLiveView) {
  const std::vector<v1::Envelope> events = History();
  v1::ComplaintView live;
  for (const v1::Envelope& event : events) live = Evolve(std::move(live), event);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      ViewAsOf(events, absl::FromUnixSeconds(1'795'000'000 + 3600)), live));
}

}  // namespace
}  // namespace complaints
