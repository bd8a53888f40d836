// §3.1 / §5.1 incidents: bursts of one matter at one place are grouped on event time.
#include "services/analytics/domain/incidents.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace complaints::analytics {
namespace {

using Kind = IncidentDecision::Kind;
using ::testing::ElementsAre;

const absl::Time kTen = absl::FromUnixSeconds(1'795'000'000);

Sighting Leak(const std::string& id, absl::Duration after, const std::string& building = "3") {
  return Sighting{id, kTen + after, "plumbing", "Sunshine Garden", building, ""};
}

constexpr double kQuiet = 1.0 / 168;  // one plumbing complaint a week in the community

TEST(Incidents, ThreeCallsAboutOneBurstPipeWithinAnHourAreOneIncident) {
  v1::IncidentGroupState group;
  const DetectorOptions options;
  EXPECT_EQ(Observe(group, Leak("C1", absl::ZeroDuration()), kQuiet, options).kind, Kind::kNone);
  EXPECT_EQ(Observe(group, Leak("C2", absl::Minutes(10)), kQuiet, options).kind, Kind::kNone);
  const IncidentDecision detected = Observe(group, Leak("C3", absl::Minutes(20)), kQuiet, options);
  ASSERT_EQ(detected.kind, Kind::kDetected);
  EXPECT_THAT(detected.complaint_ids, ElementsAre("C1", "C2", "C3"));
  EXPECT_EQ(detected.size, 3);
  EXPECT_EQ(detected.first_occurred_at, kTen);
  EXPECT_LT(detected.p_value, 1e-6);
  const IncidentDecision joined = Observe(group, Leak("C4", absl::Hours(3)), kQuiet, options);
  EXPECT_EQ(joined.kind, Kind::kJoined);
  EXPECT_EQ(joined.incident_id, detected.incident_id);
  EXPECT_THAT(joined.complaint_ids, ElementsAre("C4"));
  EXPECT_EQ(joined.size, 4);
  // Seen before: nothing again.
  EXPECT_EQ(Observe(group, Leak("C2", absl::Minutes(10)), kQuiet, options).kind, Kind::kNone);
  // Long after the last member: a new matter, not this incident.
  EXPECT_EQ(Observe(group, Leak("C5", absl::Hours(12)), kQuiet, options).kind, Kind::kNone);
}

TEST(Incidents, AnIncidentIsRecordedOnEachFoundingComplaintAndANewMemberOnItsOwn) {
  v1::IncidentGroupState group;
  const DetectorOptions options;
  EXPECT_TRUE(IncidentEvents(Observe(group, Leak("C1", absl::ZeroDuration()), kQuiet, options),
                             Leak("C1", absl::ZeroDuration()), group)
                  .empty());
  Observe(group, Leak("C2", absl::Minutes(10)), kQuiet, options);
  const Sighting third = Leak("C3", absl::Minutes(20));
  const IncidentDecision detected = Observe(group, third, kQuiet, options);
  const std::vector<v1::Envelope> founded = IncidentEvents(detected, third, group);
  ASSERT_EQ(founded.size(), 3u);
  for (size_t i = 0; i < founded.size(); ++i) {
    const v1::IncidentDetected& event = founded[i].incident_detected();
    EXPECT_EQ(founded[i].complaint_id(), detected.complaint_ids[i]);
    EXPECT_EQ(event.incident_id(), detected.incident_id);
    EXPECT_THAT(event.complaint_ids(), ElementsAre("C1", "C2", "C3"));
    EXPECT_EQ(event.category(), "plumbing");
    EXPECT_EQ(event.building(), "3");
    EXPECT_EQ(event.occurred_at().seconds(),
              absl::ToUnixSeconds(kTen + absl::Minutes(10) * static_cast<int64_t>(i)))
        << "each dated when its own complaint occurred";
  }
  const Sighting fourth = Leak("C4", absl::Hours(2));
  const IncidentDecision joined = Observe(group, fourth, kQuiet, options);
  const std::vector<v1::Envelope> grown = IncidentEvents(joined, fourth, group);
  ASSERT_EQ(grown.size(), 1u);
  EXPECT_EQ(grown[0].complaint_id(), "C4");
  EXPECT_EQ(grown[0].incident_grown().size(), 4);
  EXPECT_EQ(grown[0].incident_grown().incident_id(), detected.incident_id);
}

TEST(Incidents, TimesFinerThanANanosecondStillGroup) {
  v1::IncidentGroupState group;
  const DetectorOptions options;
  const absl::Duration quarter = absl::Nanoseconds(1) / 4;
  Observe(group, Leak("F1", absl::Seconds(1) + quarter), kQuiet, options);
  Observe(group, Leak("F2", absl::Seconds(2) + quarter), kQuiet, options);
  EXPECT_EQ(Observe(group, Leak("F3", absl::Seconds(3) + quarter), kQuiet, options).kind,
            Kind::kDetected);
}

TEST(Incidents, ArrivalOrderDoesNotChangeTheIncident) {
  const DetectorOptions options;
  v1::IncidentGroupState in_order, reversed;
  Observe(in_order, Leak("C1", absl::ZeroDuration()), kQuiet, options);
  Observe(in_order, Leak("C2", absl::Minutes(10)), kQuiet, options);
  const IncidentDecision a = Observe(in_order, Leak("C3", absl::Minutes(20)), kQuiet, options);
  Observe(reversed, Leak("C3", absl::Minutes(20)), kQuiet, options);
  Observe(reversed, Leak("C2", absl::Minutes(10)), kQuiet, options);
  const IncidentDecision b = Observe(reversed, Leak("C1", absl::ZeroDuration()), kQuiet, options);
  ASSERT_EQ(a.kind, Kind::kDetected);
  ASSERT_EQ(b.kind, Kind::kDetected);
  EXPECT_EQ(a.incident_id, b.incident_id);
  EXPECT_THAT(b.complaint_ids, ElementsAre("C1", "C2", "C3"));
}

TEST(Incidents, ABusyCategoryNeedsABiggerBurst) {
  const DetectorOptions options;
  v1::IncidentGroupState group;
  const double busy = 2.0;  // two an hour is ordinary here
  Kind last = Kind::kNone;
  int needed = 0;
  for (int i = 0; i < 20 && last != Kind::kDetected; ++i) {
    last = Observe(group, Leak("B" + std::to_string(i), absl::Minutes(3 * i)), busy, options).kind;
    needed = i + 1;
  }
  EXPECT_EQ(last, Kind::kDetected);
  EXPECT_EQ(needed, 7);  // P(X >= 6 | 2) = 0.017, P(X >= 7 | 2) = 0.0045
}

TEST(Incidents, SpreadOutOrElsewhereIsNoBurst) {
  const DetectorOptions options;
  v1::IncidentGroupState group;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        Observe(group, Leak("S" + std::to_string(i), absl::Hours(2 * i)), kQuiet, options).kind,
        Kind::kNone);
  }
  EXPECT_NE(GroupKey(Leak("A", absl::ZeroDuration(), "3")),
            GroupKey(Leak("A", absl::ZeroDuration(), "4")));
  Sighting nowhere{"N", kTen, "plumbing", "", "", ""};
  EXPECT_EQ(GroupKey(nowhere), "");
  Sighting community_only{"N", kTen, "plumbing", "Sunshine Garden", "", ""};
  EXPECT_EQ(GroupKey(community_only), "");
  EXPECT_EQ(Observe(group, nowhere, kQuiet, options).kind, Kind::kNone);
  Sighting square{"P", kTen, "noise", "", "", "Central Square"};
  EXPECT_NE(GroupKey(square), "");
}

TEST(Incidents, AGroupRemembersABoundedPast) {
  DetectorOptions options;
  options.max_sightings = 50;
  v1::IncidentGroupState group;
  for (int i = 0; i < 500; ++i) {
    Observe(group, Leak("M" + std::to_string(i), absl::Hours(5 * i)), kQuiet, options);
  }
  EXPECT_LE(group.sightings_size(), 50);
  for (const v1::IncidentSighting& s : group.sightings()) {
    EXPECT_GE(s.occurred_at().seconds(),
              group.newest().seconds() - absl::ToInt64Seconds(options.memory));
  }
}

TEST(PoissonUpperTail, MatchesExactValues) {
  EXPECT_DOUBLE_EQ(PoissonUpperTail(0, 3), 1);
  EXPECT_NEAR(PoissonUpperTail(1, 1), 1 - std::exp(-1.0), 1e-12);
  EXPECT_NEAR(PoissonUpperTail(3, 0.5), 1 - std::exp(-0.5) * (1 + 0.5 + 0.125), 1e-12);
  EXPECT_NEAR(PoissonUpperTail(1, 50), 1, 1e-12);
  EXPECT_GT(PoissonUpperTail(30, 1), 0);
  EXPECT_LT(PoissonUpperTail(30, 1), 1e-30);
}

}  // namespace
}  // namespace complaints::analytics
