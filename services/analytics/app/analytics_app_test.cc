// The analytics shell over a real gRPC channel and real RocksDB.
#include <map>

#include "gtest/gtest.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/testing/events.h"
#include "services/analytics/app/analytics_app_fixture.h"
#include "services/analytics/app/analytics_families.h"

namespace complaints::analytics {
namespace {

using namespace complaints::testing;

TEST_F(AnalyticsAppTest, EachComplaintCountedOnceInItsFinalBucketDespiteRedelivery) {
  const std::vector<ConsumedRecord> intake = {
      ConsumedOf(topics::kIntake, Received("C1", 1, "2026-11-26T10:00:00+08:00"), 0),
      ConsumedOf(topics::kIntake, Classified("C1", "plumbing", v1::PRIORITY_P2), 1),
      ConsumedOf(topics::kIntake, Received("C2", 1, "2026-11-27T10:00:00+08:00"), 2),
      ConsumedOf(topics::kIntake, Classified("C2", "plumbing", v1::PRIORITY_P2), 3)};
  ASSERT_TRUE(app_->Apply(intake).ok());
  ASSERT_TRUE(app_->Apply({ConsumedOf(topics::kDispatch, Assigned("C1", "engineering"), 0)}).ok());
  ASSERT_TRUE(app_->Apply(intake).ok()) << "redelivered";

  v1::GetCountsResponse all;
  ASSERT_TRUE(Counts("", "", &all).ok());
  EXPECT_EQ(all.total(), 2);
  ASSERT_EQ(all.rows_size(), 2);
  EXPECT_EQ(all.rows(0).day(), "2026-11-26");
  EXPECT_EQ(all.rows(0).department(), "engineering");
  EXPECT_EQ(all.rows(1).department(), "unassigned");

  v1::GetCountsResponse one_day;
  ASSERT_TRUE(Counts("2026-11-27", "2026-11-27", &one_day).ok());
  EXPECT_EQ(one_day.total(), 1);
  EXPECT_EQ(one_day.rows(0).day(), "2026-11-27");
}

// Every series row and index entry of a store (family kSeries).
std::map<std::string, std::string> SeriesRows(const Store& store) {
  std::map<std::string, std::string> rows;
  EXPECT_TRUE(store
                  .Scan(kSeriesFamily, "", "", SIZE_MAX,
                        [&](absl::string_view key, absl::string_view value) {
                          rows.emplace(key, value);
                          return true;
                        })
                  .ok());
  return rows;
}

TEST_F(AnalyticsAppTest, TheSeriesStoredDoNotDependOnTheOrderTheTopicsArriveIn) {
  const v1::Envelope received = Received("C1", 1, "2026-11-26T10:00:00+08:00");
  const v1::Envelope classified = Classified("C1", "plumbing", v1::PRIORITY_P2);
  const v1::Envelope assigned = Assigned("C1", "engineering");
  // Live, the assignment comes after the classification (C1 was counted
  // "unassigned" for a while); a rebuild may read dispatch's topic first.
  ASSERT_TRUE(app_->Apply({ConsumedOf(topics::kIntake, received, 0),
                           ConsumedOf(topics::kIntake, classified, 1)})
                  .ok());
  ASSERT_TRUE(app_->Apply({ConsumedOf(topics::kDispatch, assigned, 0)}).ok());

  testing::TempDir other;
  std::unique_ptr<Store> store =
      *Store::Open(other.Sub("db"), Store::kDefaultPartitions, analytics::kFamilies);
  std::unique_ptr<Outbox> outbox =
      *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_ANALYTICS));
  std::unique_ptr<DeadLetters> letters = *DeadLetters::Open(store.get());
  AnalyticsApp rebuilt(
      AnalyticsAppOptions{{store.get(), outbox.get(), letters.get(), &clock_}, zone_, calendar_});
  ASSERT_TRUE(rebuilt.Apply({ConsumedOf(topics::kDispatch, assigned, 0)}).ok());
  ASSERT_TRUE(rebuilt
                  .Apply({ConsumedOf(topics::kIntake, received, 0),
                          ConsumedOf(topics::kIntake, classified, 1)})
                  .ok());

  const std::map<std::string, std::string> live = SeriesRows(*store_);
  EXPECT_FALSE(live.empty());
  EXPECT_EQ(SeriesRows(*store), live);
}

// A centre in New York: days are New York's, across the change to daylight
// time on Sunday 2026-03-08 (a 23-hour day).
class AnalyticsNewYorkTest : public AnalyticsAppTest {
 protected:
  std::string ZoneName() const override { return "America/New_York"; }
};

TEST_F(AnalyticsNewYorkTest, DaysAreTheCentresAcrossADaylightSavingChange) {
  const std::pair<const char*, const char*> received[] = {
      {"N1", "2026-03-07T23:30:00-05:00"},  // Saturday night, EST
      {"N2", "2026-03-08T00:30:00-05:00"},  // Sunday, before the change
      {"N3", "2026-03-08T23:30:00-04:00"},  // Sunday night, EDT: 03:30Z on Monday
      {"N4", "2026-03-09T00:15:00-04:00"},  // Monday
  };
  std::vector<ConsumedRecord> records;
  for (const auto& [id, at] : received) {
    records.push_back(ConsumedOf(topics::kIntake, Received(id, 1, at), records.size()));
    records.push_back(
        ConsumedOf(topics::kIntake, Classified(id, "flooding", v1::PRIORITY_P2), records.size()));
  }
  ASSERT_TRUE(app_->Apply(records).ok());
  v1::GetCountsResponse all;
  ASSERT_TRUE(Counts("", "", &all).ok());
  std::map<std::string, int64_t> by_day;
  for (const v1::CountRow& row : all.rows()) by_day[row.day()] += row.count();
  EXPECT_EQ(by_day, (std::map<std::string, int64_t>{
                        {"2026-03-07", 1}, {"2026-03-08", 2}, {"2026-03-09", 1}}));
  v1::GetCountsResponse sunday;
  ASSERT_TRUE(Counts("2026-03-08", "2026-03-08", &sunday).ok());
  EXPECT_EQ(sunday.total(), 2);
}

TEST_F(AnalyticsAppTest, OneUnreadableRowDoesNotHideTheOthersAndPagesCoverTheRange) {
  ASSERT_TRUE(
      app_->Apply({ConsumedOf(topics::kIntake, Received("C1", 1, "2026-11-26T10:00:00+08:00"), 0),
                   ConsumedOf(topics::kIntake, Classified("C1", "plumbing", v1::PRIORITY_P2), 1),
                   ConsumedOf(topics::kIntake, Received("C2", 1, "2026-11-28T10:00:00+08:00"), 2),
                   ConsumedOf(topics::kIntake, Classified("C2", "noise", v1::PRIORITY_P3), 3)})
          .ok());
  Batch corrupt;
  corrupt.Put(Family::kCounts, PartitionPrefix(3) + "2026-11-27 not a bucket key", "x");
  ASSERT_TRUE(store_->Write(corrupt, Durability::kSynced).ok());

  v1::GetCountsRequest request;
  request.set_page_size(1);
  int64_t total = 0;
  int unreadable = 0, pages = 0;
  do {
    grpc::ClientContext context;
    v1::GetCountsResponse page;
    ASSERT_TRUE(stub_->GetCounts(&context, request, &page).ok());
    total += page.total();
    unreadable += page.unreadable_rows();
    request.set_page_token(page.next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(total, 2) << "both good rows are served";
  EXPECT_EQ(unreadable, 1);
  EXPECT_EQ(pages, 3);

  grpc::ClientContext context;
  request.set_page_size(5001);
  v1::GetCountsResponse response;
  grpc::Status too_big = stub_->GetCounts(&context, request, &response);
  EXPECT_EQ(too_big.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(too_big.error_message(), "page_size: must be between 0 and 5000");
}

TEST_F(AnalyticsAppTest, PagesMergeEveryPartitionsShareOfABucketExactlyOnce) {
  // 60 complaints over 4 days x 3 categories: every bucket has shares on
  // several partitions.
  const char* categories[] = {"plumbing", "noise", "safety"};
  std::vector<ConsumedRecord> records;
  for (int i = 0; i < 60; ++i) {
    const std::string id = "C" + std::to_string(i);
    const std::string day = "2026-11-2" + std::to_string(i % 4) + "T10:00:00+08:00";
    records.push_back(ConsumedOf(topics::kIntake, Received(id, 1, day), 2 * i));
    records.push_back(
        ConsumedOf(topics::kIntake, Classified(id, categories[i % 3], v1::PRIORITY_P3), 2 * i + 1));
  }
  ASSERT_TRUE(app_->Apply(records).ok());

  v1::GetCountsResponse whole;
  ASSERT_TRUE(Counts("", "", &whole).ok());
  EXPECT_EQ(whole.total(), 60);
  EXPECT_EQ(whole.rows_size(), 12) << "one row per day x category, shares added up";
  EXPECT_TRUE(whole.next_page_token().empty());

  for (int page_size : {1, 2, 5, 11}) {
    v1::GetCountsRequest request;
    request.set_page_size(page_size);
    std::vector<std::string> paged;
    int64_t total = 0;
    for (int pages = 0; pages < 100; ++pages) {
      grpc::ClientContext context;
      v1::GetCountsResponse page;
      ASSERT_TRUE(stub_->GetCounts(&context, request, &page).ok());
      EXPECT_LE(page.rows_size(), page_size);
      for (const v1::CountRow& row : page.rows()) paged.push_back(row.SerializeAsString());
      total += page.total();
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    std::vector<std::string> expected;
    for (const v1::CountRow& row : whole.rows()) expected.push_back(row.SerializeAsString());
    EXPECT_EQ(paged, expected) << "page size " << page_size;
    EXPECT_EQ(total, 60) << "page size " << page_size;
  }
}

TEST_F(AnalyticsAppTest, MalformedOrReversedDaysAreInvalidArgument) {
  v1::GetCountsResponse response;
  grpc::Status bad = Counts("yesterday", "", &response);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("from_day"), std::string::npos);
  EXPECT_EQ(Counts("2026-11-27", "2026-11-26", &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AnalyticsAppTest, FiguresGroupTheComplaintsOfADayRangeAndRefuseBadGroupings) {
  ASSERT_TRUE(
      app_->Apply({ConsumedOf(topics::kIntake, Received("C1", 1, "2026-11-26T10:00:00+08:00"), 0),
                   ConsumedOf(topics::kIntake, Classified("C1", "plumbing", v1::PRIORITY_P2), 1),
                   ConsumedOf(topics::kIntake, Received("C2", 1, "2026-11-26T11:00:00+08:00"), 2),
                   ConsumedOf(topics::kIntake, Classified("C2", "noise", v1::PRIORITY_P3), 3),
                   ConsumedOf(topics::kIntake, Received("C3", 1, "2026-11-28T11:00:00+08:00"), 4),
                   ConsumedOf(topics::kIntake, Classified("C3", "noise", v1::PRIORITY_P3), 5)})
          .ok());
  ASSERT_TRUE(app_->Apply({ConsumedOf(topics::kDispatch, Assigned("C1", "engineering"), 0),
                           ConsumedOf(topics::kDispatch, Assigned("C2", "security"), 1)})
                  .ok());
  auto figures = [&](const v1::GetFiguresRequest& request, v1::GetFiguresResponse* out) {
    grpc::ClientContext context;
    return stub_->GetFigures(&context, request, out);
  };
  v1::GetFiguresRequest by_department;
  by_department.add_group_by(v1::FIGURE_DIMENSION_DEPARTMENT);
  by_department.set_from_day("2026-11-26");
  by_department.set_to_day("2026-11-26");
  v1::GetFiguresResponse response;
  ASSERT_TRUE(figures(by_department, &response).ok());
  EXPECT_EQ(response.complaints(), 2) << "C3 is outside the range";
  ASSERT_EQ(response.rows_size(), 2);
  EXPECT_EQ(response.rows(0).department(), "engineering");
  EXPECT_EQ(response.rows(0).complaints(), 1);
  EXPECT_EQ(response.rows(1).department(), "security");

  v1::GetFiguresRequest everything;
  ASSERT_TRUE(figures(everything, &response).ok());
  ASSERT_EQ(response.rows_size(), 1);
  EXPECT_EQ(response.rows(0).complaints(), 3);

  v1::GetFiguresRequest twice;
  twice.add_group_by(v1::FIGURE_DIMENSION_DAY);
  twice.add_group_by(v1::FIGURE_DIMENSION_DAY);
  grpc::Status refused = figures(twice, &response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.error_message(), "group_by: a dimension is named twice");
  v1::GetFiguresRequest unknown;
  unknown.add_group_by(static_cast<v1::FigureDimension>(99));
  EXPECT_EQ(figures(unknown, &response).error_message(), "group_by: unknown dimension");
  v1::GetFiguresRequest reversed;
  reversed.set_from_day("2026-11-28");
  reversed.set_to_day("2026-11-26");
  EXPECT_EQ(figures(reversed, &response).error_message(), "to_day: before from_day");
}

}  // namespace
}  // namespace complaints::analytics
