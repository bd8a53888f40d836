#include "tools/complaintctl/history/row_mapper.h"

#include <algorithm>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "libs/core/time_util.h"

namespace complaints::ctl {
namespace {

// The shape of the NYC 311 export (tests/data/history/nyc311-mapping.textproto).
constexpr char kMapping[] = R"pb(
  source_system: "nyc311"
  source_id: "Unique Key"
  opened_at: "Created Date"
  target_at: "Due Date"
  closed_at: "Closed Date"
  channel: "Open Data Channel Type"
  category: "Complaint Type"
  title: [ "Complaint Type", "Descriptor" ]
  description: [ "Resolution Description" ]
  department: "Agency"
  community: "Community Board"
  address: [ "Incident Address", "City" ]
  status: "Status"
  closure: "Resolution Description"
  satisfaction: "Score"
  time_formats: [ "%m/%d/%Y %I:%M:%S %p" ]
  time_zone: "America/New_York"
  channels { key: "phone" value: CHANNEL_PHONE }
  channels { key: "ONLINE" value: CHANNEL_APP }
  default_channel: CHANNEL_LETTER
  closed_statuses: [ "closed" ]
  default_area: "unknown"
)pb";

class RowMapperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::HistoryMapping mapping;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kMapping, &mapping));
    absl::StatusOr<RowMapper> mapper = RowMapper::Create(mapping);
    ASSERT_TRUE(mapper.ok()) << mapper.status();
    mapper_ = std::make_unique<RowMapper>(*std::move(mapper));
  }
  // A row by column name; columns not given are empty.
  std::vector<std::string> Row(const std::map<std::string, std::string>& by_name) const {
    std::vector<std::string> values;
    for (const std::string& column : mapper_->columns()) {
      auto it = by_name.find(column);
      values.push_back(it == by_name.end() ? "" : it->second);
    }
    return values;
  }
  std::map<std::string, std::string> Closed() const {
    return {{"Unique Key", "19937896"},
            {"Created Date", "03/01/2011 02:27:57 PM"},
            {"Closed Date", "03/14/2011 03:59:20 PM"},
            {"Due Date", "03/22/2011 02:27:57 PM"},
            {"Agency", "DOF"},
            {"Complaint Type", "DOF Property - Payment Issue"},
            {"Descriptor", "Misapplied Payment"},
            {"Status", "Closed"},
            {"Resolution Description", "The Department of Finance resolved this issue."},
            {"Community Board", "09 MANHATTAN"},
            {"Open Data Channel Type", "PHONE"}};
  }
  std::unique_ptr<RowMapper> mapper_;
};

TEST_F(RowMapperTest, NamesEachColumnOnce) {
  const std::vector<std::string>& columns = mapper_->columns();
  EXPECT_EQ(std::count(columns.begin(), columns.end(), "Complaint Type"), 1);
  EXPECT_EQ(std::count(columns.begin(), columns.end(), "Resolution Description"), 1);
}

TEST_F(RowMapperTest, MapsAClosedCaseInItsTimeZone) {
  auto mapped = mapper_->Map(Row(Closed()));
  ASSERT_TRUE(std::holds_alternative<MappedRow>(mapped)) << std::get<RowError>(mapped).reason;
  const v1::ImportCaseRequest& request = std::get<MappedRow>(mapped).request;
  const v1::HistoricalCase& history = request.history();
  EXPECT_EQ(history.source_system(), "nyc311");
  EXPECT_EQ(history.source_id(), "19937896");
  // 14:27:57 EST is 19:27:57 UTC.
  EXPECT_EQ(FromProto(history.opened_at()),
            absl::FromCivil(absl::CivilSecond(2011, 3, 1, 19, 27, 57), absl::UTCTimeZone()));
  EXPECT_EQ(FromProto(history.closed_at()),
            absl::FromCivil(absl::CivilSecond(2011, 3, 14, 19, 59, 20), absl::UTCTimeZone()));
  EXPECT_TRUE(history.closed());
  EXPECT_EQ(history.department(), "DOF");
  EXPECT_EQ(request.content(), "DOF Property - Payment Issue - Misapplied Payment");
  EXPECT_EQ(request.category(), "DOF Property - Payment Issue");
  EXPECT_EQ(request.channel(), v1::CHANNEL_PHONE);
  EXPECT_EQ(request.location().community(), "09 MANHATTAN");
  EXPECT_FALSE(request.has_complainant());
}

TEST_F(RowMapperTest, AnOpenStatusKeepsNoClosedTimeAndUnknownChannelsTakeTheDefault) {
  std::map<std::string, std::string> row = Closed();
  row["Status"] = "Pending";
  row["Open Data Channel Type"] = "UNKNOWN";
  row["Community Board"] = "";
  auto mapped = mapper_->Map(Row(row));
  ASSERT_TRUE(std::holds_alternative<MappedRow>(mapped));
  const v1::ImportCaseRequest& request = std::get<MappedRow>(mapped).request;
  EXPECT_FALSE(request.history().closed());
  EXPECT_FALSE(request.history().has_closed_at());
  EXPECT_EQ(request.channel(), v1::CHANNEL_LETTER);
  EXPECT_EQ(request.location().public_area(), "unknown");
}

TEST_F(RowMapperTest, ReportsTheColumnAndReasonOfABadRow) {
  struct Bad {
    std::string column, value, column_reported, reason;
  };
  const std::vector<Bad> cases = {
      {"Created Date", "2011-03-01", "Created Date",
       "\"2011-03-01\" is not a time in %m/%d/%Y %I:%M:%S %p"},
      {"Created Date", "", "Created Date", "empty"},
      {"Unique Key", "", "Unique Key", "empty"},
      {"Closed Date", "", "Closed Date", "status \"Closed\" is closed but no closed time"},
      {"Score", "7", "Score", "\"7\" is not a score from 1 to 5"},
  };
  for (const Bad& bad : cases) {
    std::map<std::string, std::string> row = Closed();
    row[bad.column] = bad.value;
    auto mapped = mapper_->Map(Row(row));
    ASSERT_TRUE(std::holds_alternative<RowError>(mapped)) << bad.column;
    EXPECT_EQ(std::get<RowError>(mapped).column, bad.column_reported);
    EXPECT_EQ(std::get<RowError>(mapped).reason, bad.reason);
  }
  std::map<std::string, std::string> untitled = Closed();
  untitled["Complaint Type"] = "";
  untitled["Descriptor"] = "";
  auto mapped = mapper_->Map(Row(untitled));
  ASSERT_TRUE(std::holds_alternative<RowError>(mapped));
  EXPECT_EQ(std::get<RowError>(mapped).column, "Complaint Type+Descriptor");
}

// Clocks that disagree: an export closes a case seconds before it opens it.
TEST_F(RowMapperTest, AClosedTimeJustBeforeTheOpeningMovesToItAndIsKept) {
  std::map<std::string, std::string> skewed = Closed();
  skewed["Closed Date"] = "03/01/2011 02:27:17 PM";  // 40 s before it was opened
  auto mapped = mapper_->Map(Row(skewed));
  ASSERT_TRUE(std::holds_alternative<MappedRow>(mapped)) << std::get<RowError>(mapped).reason;
  const MappedRow& row = std::get<MappedRow>(mapped);
  EXPECT_TRUE(row.closed_time_moved);
  const v1::HistoricalCase& history = row.request.history();
  EXPECT_EQ(history.closed_at().seconds(), history.opened_at().seconds());
  EXPECT_EQ(history.opened_at().seconds() - history.source_closed_at().seconds(), 40);

  skewed["Closed Date"] = "03/01/2011 02:21:57 PM";  // 6 minutes before: more than 5
  mapped = mapper_->Map(Row(skewed));
  ASSERT_TRUE(std::holds_alternative<RowError>(mapped));
  EXPECT_EQ(std::get<RowError>(mapped).column, "Closed Date");
  EXPECT_EQ(std::get<RowError>(mapped).reason,
            "before opened_at by 6m, more than the 5m closed_before_opened_tolerance");

  mapped = mapper_->Map(Row(Closed()));
  ASSERT_TRUE(std::holds_alternative<MappedRow>(mapped));
  EXPECT_FALSE(std::get<MappedRow>(mapped).closed_time_moved);
  EXPECT_FALSE(std::get<MappedRow>(mapped).request.history().has_source_closed_at());
}

TEST(RowMapperTolerance, ZeroTurnsItOff) {
  v1::HistoryMapping mapping;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
                                                              source_system: "old"
                                                              source_id: "id"
                                                              opened_at: "opened"
                                                              closed_at: "closed"
                                                              title: [ "subject" ]
                                                              default_channel: CHANNEL_PHONE
                                                              closed_before_opened_tolerance {}
                                                            )pb",
                                                            &mapping));
  absl::StatusOr<RowMapper> mapper = RowMapper::Create(mapping);
  ASSERT_TRUE(mapper.ok()) << mapper.status();
  std::vector<std::string> values(mapper->columns().size());
  const std::vector<std::string>& columns = mapper->columns();
  auto set = [&](const std::string& column, const std::string& value) {
    values[std::find(columns.begin(), columns.end(), column) - columns.begin()] = value;
  };
  set("id", "1");
  set("opened", "2019-05-01T09:00:00Z");
  set("closed", "2019-05-01T08:59:59Z");
  set("subject", "Noise");
  auto mapped = mapper->Map(values);
  ASSERT_TRUE(std::holds_alternative<RowError>(mapped));
  EXPECT_EQ(std::get<RowError>(mapped).column, "closed");
}

TEST_F(RowMapperTest, ShortensOverlongTextsAtACharacterBoundary) {
  std::map<std::string, std::string> row = Closed();
  std::string chinese;
  for (int i = 0; i < 600; ++i) chinese += "漏";
  row["Descriptor"] = chinese;
  auto mapped = mapper_->Map(Row(row));
  ASSERT_TRUE(std::holds_alternative<MappedRow>(mapped));
  EXPECT_TRUE(std::get<MappedRow>(mapped).shortened);
  const std::string& content = std::get<MappedRow>(mapped).request.content();
  size_t characters = 0;
  for (char byte : content) characters += (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
  EXPECT_EQ(characters, 500u);
  EXPECT_EQ(content.substr(content.size() - 3), "漏");  // whole characters only
}

TEST_F(RowMapperTest, MapsServiceFieldsBackToColumns) {
  EXPECT_EQ(mapper_->ColumnOf("history.target_at"), "Due Date");
  EXPECT_EQ(mapper_->ColumnOf("content"), "Complaint Type+Descriptor");
  EXPECT_EQ(mapper_->ColumnOf("complainant.phone"), "complainant.phone");
}

TEST(RowMapperCreate, RefusesAnIncompleteMapping) {
  v1::HistoryMapping mapping;
  EXPECT_EQ(RowMapper::Create(mapping).status().message(), "source_system: required");
  mapping.set_source_system("old");
  mapping.set_source_id("id");
  mapping.set_opened_at("opened");
  mapping.add_title("title");
  EXPECT_EQ(RowMapper::Create(mapping).status().message(),
            "default_channel: required when no channel column is named");
  mapping.set_default_channel(v1::CHANNEL_PHONE);
  mapping.set_time_zone("Mars/Olympus_Mons");
  EXPECT_EQ(RowMapper::Create(mapping).status().message(),
            "time_zone: \"Mars/Olympus_Mons\" is not a known IANA zone");
  mapping.set_time_zone("Asia/Shanghai");
  EXPECT_TRUE(RowMapper::Create(mapping).ok());
  (*mapping.mutable_fallbacks())["titel"].add_columns("subject");
  EXPECT_THAT(std::string(RowMapper::Create(mapping).status().message()),
              ::testing::StartsWith("fallbacks: \"titel\" is not a text field of the mapping"));
  mapping.clear_fallbacks();
  (*mapping.mutable_fallbacks())["title"];
  EXPECT_EQ(RowMapper::Create(mapping).status().message(), "fallbacks[title]: no columns");
  mapping.clear_fallbacks();
  mapping.mutable_closed_before_opened_tolerance()->set_seconds(24 * 3600 + 1);
  EXPECT_EQ(RowMapper::Create(mapping).status().message(),
            "closed_before_opened_tolerance: must be between 0 and 24 hours");
  mapping.mutable_closed_before_opened_tolerance()->set_seconds(-1);
  EXPECT_FALSE(RowMapper::Create(mapping).ok());
}

// Exports leave columns empty where another holds the same kind of text.
TEST(RowMapperFallbacks, AnEmptyFieldTakesItsFirstNonEmptyFallbackColumn) {
  v1::HistoryMapping mapping;
  ASSERT_TRUE(
      google::protobuf::TextFormat::ParseFromString(R"pb(
                                                      source_system: "old"
                                                      source_id: "id"
                                                      opened_at: "opened"
                                                      title: [ "subject" ]
                                                      community: "estate"
                                                      department: "team"
                                                      default_channel: CHANNEL_PHONE
                                                      fallbacks {
                                                        key: "title"
                                                        value { columns: [ "summary", "type" ] }
                                                      }
                                                      fallbacks {
                                                        key: "community"
                                                        value { columns: [ "district" ] }
                                                      }
                                                      fallbacks {
                                                        key: "department"
                                                        value { columns: [ "queue" ] }
                                                      }
                                                    )pb",
                                                    &mapping));
  absl::StatusOr<RowMapper> mapper = RowMapper::Create(mapping);
  ASSERT_TRUE(mapper.ok()) << mapper.status();
  auto map = [&](const std::map<std::string, std::string>& by_name) {
    std::vector<std::string> values;
    for (const std::string& column : mapper->columns()) {
      auto it = by_name.find(column);
      values.push_back(it == by_name.end() ? "" : it->second);
    }
    return mapper->Map(values);
  };
  auto mapped = map({{"id", "1"},
                     {"opened", "2019-05-01T09:00:00Z"},
                     {"subject", ""},
                     {"summary", " "},
                     {"type", "Noise"},
                     {"estate", ""},
                     {"district", "North"},
                     {"team", "Roads"},
                     {"queue", "Parks"}});
  ASSERT_TRUE(std::holds_alternative<MappedRow>(mapped)) << std::get<RowError>(mapped).reason;
  const v1::ImportCaseRequest& request = std::get<MappedRow>(mapped).request;
  EXPECT_EQ(request.content(), "Noise") << "the first non-empty fallback";
  EXPECT_EQ(request.location().community(), "North");
  EXPECT_EQ(request.history().department(), "Roads") << "its own column first";
  mapped = map({{"id", "2"}, {"opened", "2019-05-01T09:00:00Z"}});
  ASSERT_TRUE(std::holds_alternative<RowError>(mapped));
  EXPECT_EQ(std::get<RowError>(mapped).reason, "empty");
}

}  // namespace
}  // namespace complaints::ctl
