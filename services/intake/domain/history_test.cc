#include "services/intake/domain/history.h"

#include "gtest/gtest.h"
#include "libs/core/time_util.h"

namespace complaints::intake {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'790'000'000);     // 2026-09
const absl::Time kOpened = absl::FromUnixSeconds(1'298'989'677);  // 2011-03-01

v1::ImportCaseRequest Case() {
  v1::ImportCaseRequest request;
  request.set_channel(v1::CHANNEL_PHONE);
  request.set_content("Street light out");
  request.mutable_location()->set_community("09 MANHATTAN");
  request.set_category("Street Light Condition");
  v1::HistoricalCase& history = *request.mutable_history();
  history.set_source_system("nyc311");
  history.set_source_id("19937896");
  *history.mutable_opened_at() = ToProto(kOpened);
  *history.mutable_target_at() = ToProto(kOpened + absl::Hours(24 * 21));
  *history.mutable_closed_at() = ToProto(kOpened + absl::Hours(24 * 13));
  history.set_closed(true);
  history.set_department("DOT");
  history.set_status("Closed");
  return request;
}

std::string FieldOf(const absl::Status& status) {
  const std::string message(status.message());
  return message.substr(0, message.find(':'));
}

TEST(CleanImport, AcceptsACaseFromHistoryWithoutAComplainant) {
  absl::StatusOr<ImportedCase> imported = CleanImport(Case(), kNow);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->submission.idempotency_key(), "import:nyc311:19937896");
  EXPECT_FALSE(imported->submission.has_complainant());
  EXPECT_EQ(FromProto(imported->submission.occurred_at()), kOpened);
  EXPECT_EQ(FromProto(imported->history.imported_at()), kNow);
  EXPECT_EQ(imported->category, "Street Light Condition");
}

TEST(CleanImport, ChecksAComplainantWhenOneIsGiven) {
  v1::ImportCaseRequest request = Case();
  request.mutable_complainant()->set_name("Wang Fang");
  EXPECT_EQ(FieldOf(CleanImport(request, kNow).status()), "complainant.phone");
  request.mutable_complainant()->set_phone("+86 138 0013 8000");
  EXPECT_TRUE(CleanImport(request, kNow).ok());
}

TEST(CleanImport, NamesTheFieldOfEachBadHistory) {
  struct Bad {
    const char* field;
    std::function<void(v1::ImportCaseRequest&)> spoil;
  };
  const std::vector<Bad> cases = {
      {"history", [](v1::ImportCaseRequest& r) { r.clear_history(); }},
      {"history.source_system",
       [](v1::ImportCaseRequest& r) { r.mutable_history()->clear_source_system(); }},
      {"history.source_system",
       [](v1::ImportCaseRequest& r) { r.mutable_history()->set_source_system("a:b"); }},
      {"history.source_id",
       [](v1::ImportCaseRequest& r) { r.mutable_history()->set_source_id(std::string(65, '7')); }},
      {"history.opened_at",
       [](v1::ImportCaseRequest& r) { r.mutable_history()->clear_opened_at(); }},
      {"history.opened_at",
       [](v1::ImportCaseRequest& r) {
         *r.mutable_history()->mutable_opened_at() = ToProto(absl::FromUnixSeconds(900'000'000));
       }},
      {"history.opened_at",
       [](v1::ImportCaseRequest& r) {
         *r.mutable_history()->mutable_opened_at() = ToProto(kNow + absl::Hours(1));
         r.mutable_history()->clear_target_at();
         r.mutable_history()->clear_closed_at();
         r.mutable_history()->set_closed(false);
       }},
      {"history.target_at",
       [](v1::ImportCaseRequest& r) {
         *r.mutable_history()->mutable_target_at() = ToProto(kOpened - absl::Seconds(1));
       }},
      {"history.closed_at",
       [](v1::ImportCaseRequest& r) {
         *r.mutable_history()->mutable_closed_at() = ToProto(kOpened - absl::Seconds(1));
       }},
      {"history.closed_at",
       [](v1::ImportCaseRequest& r) {
         *r.mutable_history()->mutable_closed_at() = ToProto(kNow + absl::Hours(1));
       }},
      {"history.closed_at",
       [](v1::ImportCaseRequest& r) { r.mutable_history()->clear_closed_at(); }},
      {"history.closed_at",
       [](v1::ImportCaseRequest& r) { r.mutable_history()->set_closed(false); }},
      {"history.source_closed_at",
       [](v1::ImportCaseRequest& r) {  // the closed time was not moved
         *r.mutable_history()->mutable_source_closed_at() = ToProto(kOpened - absl::Seconds(1));
       }},
      {"history.source_closed_at",
       [](v1::ImportCaseRequest& r) {  // more than a day before the opening
         *r.mutable_history()->mutable_closed_at() = ToProto(kOpened);
         *r.mutable_history()->mutable_source_closed_at() = ToProto(kOpened - absl::Hours(25));
       }},
      {"history.source_closed_at",
       [](v1::ImportCaseRequest& r) {  // not before the opening at all
         *r.mutable_history()->mutable_closed_at() = ToProto(kOpened);
         *r.mutable_history()->mutable_source_closed_at() = ToProto(kOpened);
       }},
      {"history.satisfaction",
       [](v1::ImportCaseRequest& r) { r.mutable_history()->set_satisfaction(6); }},
      {"history.imported_at",
       [](v1::ImportCaseRequest& r) {
         *r.mutable_history()->mutable_imported_at() = ToProto(kNow);
       }},
      {"history.department",
       [](v1::ImportCaseRequest& r) { r.mutable_history()->set_department("a\nb"); }},
      {"history.closure",
       [](v1::ImportCaseRequest& r) { r.mutable_history()->set_closure(std::string(5001, 'x')); }},
      {"category", [](v1::ImportCaseRequest& r) { r.set_category(std::string(101, 'c')); }},
      {"content", [](v1::ImportCaseRequest& r) { r.clear_content(); }},
      {"channel", [](v1::ImportCaseRequest& r) { r.clear_channel(); }},
      {"location.community", [](v1::ImportCaseRequest& r) { r.clear_location(); }},
  };
  for (const Bad& bad : cases) {
    v1::ImportCaseRequest request = Case();
    bad.spoil(request);
    absl::StatusOr<ImportedCase> imported = CleanImport(request, kNow);
    ASSERT_FALSE(imported.ok()) << bad.field;
    EXPECT_EQ(imported.status().code(), absl::StatusCode::kInvalidArgument) << bad.field;
    EXPECT_EQ(FieldOf(imported.status()), bad.field) << imported.status();
  }
}

TEST(CleanImport, KeepsASourceClosedTimeMovedToTheOpening) {
  v1::ImportCaseRequest request = Case();
  *request.mutable_history()->mutable_closed_at() = ToProto(kOpened);
  *request.mutable_history()->mutable_source_closed_at() = ToProto(kOpened - absl::Seconds(40));
  absl::StatusOr<ImportedCase> imported = CleanImport(request, kNow);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(FromProto(imported->history.source_closed_at()), kOpened - absl::Seconds(40));
}

TEST(CleanImport, AnOpenCaseHasNoClosedTime) {
  v1::ImportCaseRequest request = Case();
  request.mutable_history()->set_closed(false);
  request.mutable_history()->clear_closed_at();
  request.mutable_history()->set_status("Pending");
  EXPECT_TRUE(CleanImport(request, kNow).ok());
}

}  // namespace
}  // namespace complaints::intake
