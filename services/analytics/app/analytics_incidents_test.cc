// §3.1 / §5.1 incidents through the analytics shell: detected from real
// events into real RocksDB, recorded on analytics' topic, listed over gRPC,
// and rebuilt from analytics' own topic without deciding anything anew.
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/core/time_util.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/testing/events.h"
#include "services/analytics/app/analytics_app_fixture.h"
#include "services/analytics/app/analytics_families.h"

namespace complaints::analytics {
namespace {

using namespace complaints::testing;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

const absl::Time kBurst = absl::FromUnixSeconds(1'795'600'000);

// What intake published: a leak reported `after` the burst began, in building 3.
std::vector<v1::Envelope> Report(const std::string& id, absl::Duration after) {
  v1::Envelope received =
      Received(id, 1, absl::FormatTime(absl::RFC3339_sec, kBurst + after, absl::UTCTimeZone()));
  received.mutable_received()->mutable_location()->set_building("3");
  return {received, Classified(id, "plumbing", v1::PRIORITY_P2)};
}

class IncidentsTest : public AnalyticsAppTest {
 protected:
  void Apply(AnalyticsApp& app, const std::vector<v1::Envelope>& events,
             absl::string_view topic = topics::kIntake) {
    std::vector<ConsumedRecord> records;
    for (const v1::Envelope& event : events) records.push_back(ConsumedOf(topic, event, offset_++));
    ASSERT_TRUE(app.Apply(records).ok());
  }

  std::vector<v1::Envelope> Recorded(const Store& store) {
    std::vector<v1::Envelope> out;
    for (const v1::Envelope& event : Outboxed(store)) {
      if (event.writer() == v1::WRITER_ANALYTICS) out.push_back(event);
    }
    return out;
  }

  v1::ListIncidentsResponse List() {
    grpc::ClientContext context;
    v1::ListIncidentsRequest request;
    *request.mutable_since() = ToProto(kBurst - absl::Hours(1));
    v1::ListIncidentsResponse response;
    EXPECT_TRUE(stub_->ListIncidents(&context, request, &response).ok());
    return response;
  }

  int64_t offset_ = 0;
};

TEST_F(IncidentsTest, ThreeLeaksInAnHourAreOneIncidentOnEveryComplaintAndALaterOneJoins) {
  Apply(*app_, Report("C1", absl::ZeroDuration()));
  Apply(*app_, Report("C2", absl::Minutes(12)));
  EXPECT_TRUE(Recorded(*store_).empty());
  Apply(*app_, Report("C3", absl::Minutes(25)));
  std::vector<v1::Envelope> recorded = Recorded(*store_);
  ASSERT_EQ(recorded.size(), 3u);
  std::vector<std::string> on;
  for (const v1::Envelope& event : recorded) {
    ASSERT_TRUE(event.has_incident_detected());
    EXPECT_EQ(event.incident_detected().incident_id(),
              recorded[0].incident_detected().incident_id());
    EXPECT_THAT(event.incident_detected().complaint_ids(), ElementsAre("C1", "C2", "C3"));
    EXPECT_EQ(event.causation_id(), "C3/intake/2")
        << "caused by the third complaint's classification";
    EXPECT_EQ(event.actor().id(), "analytics");
    on.push_back(event.complaint_id());
  }
  EXPECT_THAT(on, UnorderedElementsAre("C1", "C2", "C3"));
  const std::string incident = recorded[0].incident_detected().incident_id();

  Apply(*app_, Report("C4", absl::Hours(2)));
  recorded = Recorded(*store_);
  ASSERT_EQ(recorded.size(), 4u);
  EXPECT_EQ(recorded[3].complaint_id(), "C4");
  EXPECT_EQ(recorded[3].incident_grown().incident_id(), incident);
  EXPECT_EQ(recorded[3].incident_grown().size(), 4);

  v1::ListIncidentsResponse listed = List();
  ASSERT_EQ(listed.incidents_size(), 1);
  EXPECT_EQ(listed.incidents(0).incident_id(), incident);
  EXPECT_EQ(listed.incidents(0).size(), 4);
  EXPECT_THAT(listed.incidents(0).complaint_ids(), ElementsAre("C1", "C2", "C3", "C4"));  // sorted
  EXPECT_EQ(listed.incidents(0).building(), "3");
  EXPECT_EQ(FromProto(listed.incidents(0).first_occurred_at()), kBurst);
  EXPECT_EQ(FromProto(listed.incidents(0).last_occurred_at()), kBurst + absl::Hours(2));
}

TEST_F(IncidentsTest, AnIncidentStaysOpenUntilEachOfItsComplaintsIsResolved) {
  for (const auto& [id, after] :
       {std::pair{"C1", absl::ZeroDuration()}, std::pair{"C2", absl::Minutes(12)},
        std::pair{"C3", absl::Minutes(25)}}) {
    Apply(*app_, Report(id, after));
  }
  ASSERT_EQ(List().incidents_size(), 1);
  EXPECT_EQ(List().incidents(0).open(), 3);
  auto resolve = [&](const std::string& id) {
    v1::Envelope resolved = EnvelopeOf(id, v1::WRITER_TRACKING, 2);
    resolved.mutable_resolved()->set_outcome("pipe replaced");
    Apply(*app_, {Deadlines(id), resolved}, topics::kTracking);
  };
  resolve("C1");
  resolve("C3");
  EXPECT_EQ(List().incidents(0).open(), 1);
  grpc::ClientContext context;
  v1::ListIncidentsRequest open_only;
  *open_only.mutable_since() = ToProto(kBurst - absl::Hours(1));
  open_only.set_open_only(true);
  v1::ListIncidentsResponse response;
  ASSERT_TRUE(stub_->ListIncidents(&context, open_only, &response).ok());
  EXPECT_EQ(response.incidents_size(), 1);
  resolve("C2");
  grpc::ClientContext again;
  ASSERT_TRUE(stub_->ListIncidents(&again, open_only, &response).ok());
  EXPECT_EQ(response.incidents_size(), 0) << "every complaint resolved: no longer open";
  EXPECT_EQ(List().incidents(0).open(), 0);
}

TEST_F(IncidentsTest, ARebuiltAnalyticsKnowsItsIncidentsAndDecidesNothingAnew) {
  std::vector<v1::Envelope> intake;
  for (const auto& [id, after] :
       {std::pair{"C1", absl::ZeroDuration()}, std::pair{"C2", absl::Minutes(12)},
        std::pair{"C3", absl::Minutes(25)}}) {
    for (const v1::Envelope& event : Report(id, after)) intake.push_back(event);
  }
  Apply(*app_, intake);
  const std::vector<v1::Envelope> own = Recorded(*store_);
  ASSERT_EQ(own.size(), 3u);

  // A second analytics on an empty store: its own topic first, then intake's.
  TempDir dir;
  std::unique_ptr<Store> store =
      *Store::Open(dir.Sub("db"), Store::kDefaultPartitions, analytics::kFamilies);
  std::unique_ptr<Outbox> outbox =
      *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_ANALYTICS));
  std::unique_ptr<DeadLetters> letters = *DeadLetters::Open(store.get());
  AnalyticsApp rebuilt(
      AnalyticsAppOptions{{store.get(), outbox.get(), letters.get(), &clock_}, zone_, calendar_});
  Apply(rebuilt, own, topics::kAnalytics);
  Apply(rebuilt, intake);
  EXPECT_TRUE(Recorded(*store).empty()) << "nothing decided again";
  // Yet every complaint is counted, the one whose classification founded the incident too.
  EXPECT_EQ(rebuilt.GetCounts({})->total(), 3);
  EXPECT_EQ(app_->GetCounts({})->total(), 3);
  // A fourth leak joins the incident the rebuilt analytics restored.
  Apply(rebuilt, Report("C4", absl::Hours(1)));
  const std::vector<v1::Envelope> after = Recorded(*store);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].incident_grown().incident_id(), own[0].incident_detected().incident_id());
  EXPECT_EQ(after[0].incident_grown().size(), 4);
}

TEST_F(IncidentsTest, ThreeLeaksInAnHourAreNoIncidentWhereLeaksAreUsual) {
  // 16 leaks a day in the community over the 4 weeks before: about 0.67 an
  // hour, so three in one hour happen by chance (p ≈ 0.03).
  std::vector<v1::Envelope> usual;
  for (int day = 1; day <= 28; ++day) {
    for (int i = 0; i < 16; ++i) {
      const std::string id = absl::StrCat("U", day, "-", i);
      for (v1::Envelope& event : Report(id, -absl::Hours(24 * day) + absl::Minutes(45 * i))) {
        usual.push_back(std::move(event));
      }
    }
  }
  Apply(*app_, usual);
  for (const auto& [id, after] :
       {std::pair{"C1", absl::ZeroDuration()}, std::pair{"C2", absl::Minutes(12)},
        std::pair{"C3", absl::Minutes(25)}}) {
    Apply(*app_, Report(id, after));
  }
  EXPECT_TRUE(Recorded(*store_).empty());
  EXPECT_EQ(List().incidents_size(), 0);
}

TEST_F(IncidentsTest, APlaceNamedWithSeparatorsAndControlsCountsApartAndStopsNothing) {
  // Intake cleans places; a record from an older writer may not have been.
  // Its place becomes part of the count keys: 10 KB of separators and
  // control characters, reported like the burst below.
  const std::string odd = std::string("\x1f") + "2026-01" + std::string(10 * 1024, '\x01');
  for (int i = 0; i < 40; ++i) {
    std::vector<v1::Envelope> report = Report(absl::StrCat("X", i), absl::Minutes(i));
    report[0].mutable_received()->mutable_location()->set_community(odd);
    Apply(*app_, report);
  }
  // Its 40 complaints in 40 minutes are an incident of their own place…
  ASSERT_EQ(List().incidents_size(), 1);
  EXPECT_EQ(List().incidents(0).community(), odd);
  // …and Sunshine Garden's usual rate is not theirs: three leaks there are
  // an incident too.
  for (const auto& [id, after] :
       {std::pair{"C1", absl::ZeroDuration()}, std::pair{"C2", absl::Minutes(12)},
        std::pair{"C3", absl::Minutes(25)}}) {
    Apply(*app_, Report(id, after));
  }
  EXPECT_EQ(List().incidents_size(), 2);
}

TEST_F(IncidentsTest, LeaksInDifferentBuildingsOrHoursApartAreNoIncident) {
  Apply(*app_, Report("C1", absl::ZeroDuration()));
  Apply(*app_, Report("C2", absl::Hours(3)));
  std::vector<v1::Envelope> elsewhere = Report("C3", absl::Minutes(10));
  elsewhere[0].mutable_received()->mutable_location()->set_building("7");
  Apply(*app_, elsewhere);
  Apply(*app_, Report("C4", absl::Hours(6)));
  EXPECT_TRUE(Recorded(*store_).empty());
  EXPECT_EQ(List().incidents_size(), 0);
}

}  // namespace
}  // namespace complaints::analytics
