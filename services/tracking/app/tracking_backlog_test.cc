// §4.2 an import hands over a backlog without a storm: 10,000 open cases,
// half past their due time, over real RocksDB. At import nobody is told of
// them one by one; each department gets one summary once the import has gone
// quiet; after the grace, the held escalations come at the set rate per
// department; every verdict is right.
#include <map>
#include <set>

#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
#include "services/tracking/app/test_tracking.h"

namespace complaints::tracking {
namespace {

constexpr int kCases = 10'000;
constexpr int kPerHour = 120;
const std::vector<std::string> kDepartments = {"DSNY", "DOT", "DEP", "HPD"};

class TrackingBacklogTest : public TrackingAppTest {
 protected:
  // Case i: opened 40 days before the import; odd ones due 3 days before it
  // (overdue), even ones due 30 days after it; pairs go to the departments in turn.
  std::vector<ConsumedRecord> Imported(int i) {
    const std::string id = absl::StrCat("H", i);
    const bool overdue = i % 2 == 1;
    v1::HistoricalCase history;
    history.set_source_system("nyc311");
    history.set_source_id(absl::StrCat(100000 + i));
    *history.mutable_opened_at() = ToProto(now_ - absl::Hours(24 * 40) + absl::Minutes(i));
    *history.mutable_target_at() = ToProto(overdue ? now_ - absl::Hours(72) + absl::Minutes(i % 97)
                                                   : now_ + absl::Hours(24 * 30));
    *history.mutable_imported_at() = ToProto(now_);
    history.set_department(kDepartments[(i / 2) % kDepartments.size()]);
    v1::Envelope received = Received(id);
    *received.mutable_received()->mutable_history() = history;
    *received.mutable_occurred_at() = history.opened_at();
    v1::Envelope classified = Classified(id, "sanitation", v1::PRIORITY_P3);
    v1::Envelope assigned = Assigned(id, history.department());
    v1::Envelope briefed = EnvelopeOf(id, v1::WRITER_DISPATCH, 2);
    briefed.mutable_receiver_briefed()->set_department(history.department());
    *briefed.mutable_occurred_at() = ToProto(now_);
    return {ConsumedOf(topics::kIntake, received, next_offset_++),
            ConsumedOf(topics::kIntake, classified, next_offset_++),
            ConsumedOf(topics::kDispatch, assigned, next_offset_++),
            ConsumedOf(topics::kDispatch, briefed, next_offset_++)};
  }

  v1::ComplaintView ViewOf(const std::string& id) {
    absl::StatusOr<std::optional<std::string>> stored =
        store_->Get(Family::kState, ComplaintKey(id, store_->partitions()));
    v1::ComplaintView view;
    EXPECT_TRUE(stored.ok() && stored->has_value() && view.ParseFromString(**stored)) << id;
    return view;
  }
};

TEST_F(TrackingBacklogTest, TenThousandOpenCasesHalfOverdueMakeNoStorm) {
  v1::HandlingPolicy handling = TestHandling();
  handling.mutable_backlog()->set_grace_hours(1);
  handling.mutable_backlog()->set_releases_per_hour(kPerHour);
  handling.mutable_backlog()->set_summary_after_minutes(10);
  std::unique_ptr<TrackingApp> app = NewApp(handling);

  // The import: 10,000 cases over two minutes, in batches as a consumer polls them.
  std::vector<ConsumedRecord> batch;
  for (int i = 0; i < kCases; ++i) {
    for (ConsumedRecord& record : Imported(i)) batch.push_back(std::move(record));
    if (batch.size() >= 400 || i + 1 == kCases) {
      ASSERT_TRUE(app->Apply(batch).ok());
      batch.clear();
      clock_.Advance(absl::Milliseconds(480));
      ASSERT_TRUE(app->FireDueTimers().ok());
    }
  }
  const absl::Time import_end = clock_.Now();
  EXPECT_TRUE(Notified(*store_).empty()) << "nobody is told of an imported case one by one";

  // Every verdict is right at once: overdue if past its due time at import.
  for (int i = 0; i < kCases; ++i) {
    const v1::ComplaintView view = ViewOf(absl::StrCat("H", i));
    EXPECT_EQ(SlaVerdictOf(view), i % 2 ? v1::SLA_VERDICT_OVERDUE : v1::SLA_VERDICT_UNSPECIFIED)
        << view.complaint_id();
    EXPECT_EQ(FromProto(view.tracking().resolve_by()),
              FromProto(view.intake().history().target_at()))
        << "keeps the source due time: " << view.complaint_id();
    if (HasFailure()) break;
  }

  // Quiet for ten minutes: one summary per department, with its counts.
  clock_.Advance(absl::Minutes(10) - (clock_.Now() - import_end) + absl::Seconds(1));
  ASSERT_TRUE(app->FireDueTimers().ok());
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(app->FireDueTimers().ok());
  std::map<std::pair<std::string, int>, int> at_import;  // (department, kind) -> count
  for (const v1::Notification& notification : Notified(*store_)) {
    ++at_import[{notification.department(), notification.kind()}];
    ASSERT_EQ(notification.kind(), v1::NOTIFICATION_KIND_BACKLOG_SUMMARY);
    EXPECT_EQ(notification.backlog().cases(), kCases / 4) << notification.department();
    EXPECT_EQ(notification.backlog().overdue(), kCases / 8) << notification.department();
    EXPECT_EQ(notification.backlog().releases_per_hour(), kPerHour);
    EXPECT_EQ(FromProto(notification.backlog().releases_from()), now_ + absl::Hours(1));
  }
  EXPECT_EQ(at_import.size(), kDepartments.size()) << "one summary per department";
  for (const auto& [key, count] : at_import) EXPECT_EQ(count, 1) << key.first;

  // Past the grace, a minute at a time until every held escalation is out.
  const absl::Time grace_end = now_ + absl::Hours(1);
  const int hours = kCases / 8 / kPerHour + 1;
  while (clock_.Now() < grace_end + absl::Hours(hours) + absl::Minutes(1)) {
    clock_.Advance(absl::Minutes(1));
    ASSERT_TRUE(app->FireDueTimers().ok());
  }
  std::map<std::string, std::map<int64_t, int>> per_hour;  // department -> hour -> escalations
  std::set<std::string> escalated;
  int other = 0;
  for (const v1::Notification& notification : Notified(*store_)) {
    if (notification.kind() == v1::NOTIFICATION_KIND_BACKLOG_SUMMARY) continue;
    if (notification.kind() != v1::NOTIFICATION_KIND_ESCALATION) {
      ++other;
      continue;
    }
    EXPECT_TRUE(escalated.insert(notification.complaint_id()).second)
        << "one escalation per case: " << notification.complaint_id();
    const absl::Time at = FromProto(notification.recorded_at());
    EXPECT_GE(at, grace_end) << notification.complaint_id();
    ++per_hour[notification.department()][(at - grace_end) / absl::Hours(1)];
  }
  EXPECT_EQ(other, 0) << "no warning, breach or briefing of an imported case";
  EXPECT_EQ(escalated.size(), static_cast<size_t>(kCases / 2));
  for (const auto& [department, hourly] : per_hour) {
    int total = 0;
    for (const auto& [hour, count] : hourly) {
      total += count;
      // Full hours hold exactly the rate; the last holds the rest.
      if (hour + 1 < static_cast<int64_t>(hourly.size())) {
        EXPECT_EQ(count, kPerHour) << department << " hour " << hour;
      } else {
        EXPECT_LE(count, kPerHour) << department << " hour " << hour;
      }
    }
    EXPECT_EQ(total, kCases / 8) << department;
  }
  std::cout << "backlog import: " << kCases << " open cases, " << kCases / 2
            << " overdue; notifications at import " << at_import.size()
            << " (one per department); escalations " << escalated.size() << " at " << kPerHour
            << "/h per department over " << hours << " h\n";
}

}  // namespace
}  // namespace complaints::tracking
