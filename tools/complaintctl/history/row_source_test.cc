#include "tools/complaintctl/history/row_source.h"

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/temp_dir.h"

namespace complaints::ctl {
namespace {

using ::testing::ElementsAre;

std::string Write(const complaints::testing::TempDir& dir, const std::string& name,
                  const std::string& text) {
  const std::string path = dir.Sub(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(OpenRows, ReadsACsvByItsHeaderInTheMappersOrder) {
  complaints::testing::TempDir dir;
  const std::string path =
      Write(dir, "cases.csv",
            "\xEF\xBB\xBFid,opened,text\r\n7,2019-05-01,\"leak, again\"\r\n8,2019-05-02\r\n");
  auto rows = OpenRows(path, {"text", "id"});
  ASSERT_TRUE(rows.ok()) << rows.status();
  SourceRow row;
  ASSERT_TRUE((*rows)->Next(&row));
  EXPECT_EQ(row.row, 1u);
  EXPECT_EQ(row.line, 2u);
  EXPECT_THAT(row.values, ElementsAre("leak, again", "7"));
  ASSERT_TRUE((*rows)->Next(&row));
  EXPECT_THAT(row.values, ElementsAre("", "8"));  // a short row: the missing column is empty
  EXPECT_FALSE((*rows)->Next(&row));
  EXPECT_EQ((*rows)->fatal(), "");
}

TEST(OpenRows, RefusesAHeaderWithoutAMappedColumn) {
  complaints::testing::TempDir dir;
  auto rows = OpenRows(Write(dir, "cases.csv", "id,opened\n1,x\n"), {"id", "Opened", "text"});
  EXPECT_EQ(rows.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(rows.status().message(),
            "the header has no column \"Opened\", \"text\" that the mapping names");
  EXPECT_FALSE(OpenRows(dir.Sub("missing.csv"), {"id"}).ok());
}

TEST(OpenRows, ReadsJsonLinesByKeyAndReportsALineThatIsNotAnObject) {
  complaints::testing::TempDir dir;
  const std::string path =
      Write(dir, "cases.jsonl",
            "{\"id\": 42, \"text\": \"漏水\", \"score\": 4.5, \"open\": true}\n"
            "\n"
            "not json\n"
            "{\"id\": \"A-7\"}\n");
  auto rows = OpenRows(path, {"id", "text", "score", "open"});
  ASSERT_TRUE(rows.ok()) << rows.status();
  SourceRow row;
  ASSERT_TRUE((*rows)->Next(&row));
  EXPECT_THAT(row.values, ElementsAre("42", "漏水", "4.5", "true"));
  ASSERT_TRUE((*rows)->Next(&row));  // the blank line is skipped
  EXPECT_EQ(row.row, 2u);
  EXPECT_EQ(row.line, 3u);
  EXPECT_EQ(row.error, "not a JSON object");
  ASSERT_TRUE((*rows)->Next(&row));
  EXPECT_THAT(row.values, ElementsAre("A-7", "", "", ""));
  EXPECT_FALSE((*rows)->Next(&row));
}

}  // namespace
}  // namespace complaints::ctl
