#include "tools/complaintctl/history/csv_reader.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace complaints::ctl {
namespace {

using ::testing::ElementsAre;

TEST(CsvReader, ReadsQuotedFieldsWithCommasLineBreaksAndQuotes) {
  std::istringstream in("id,text,n\r\n1,\"a, b\",2\r\n2,\"two\nlines \"\"quoted\"\"\",3\n3,,\n");
  CsvReader reader(in);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(&fields));
  EXPECT_THAT(fields, ElementsAre("id", "text", "n"));
  ASSERT_TRUE(reader.Next(&fields));
  EXPECT_THAT(fields, ElementsAre("1", "a, b", "2"));
  EXPECT_EQ(reader.record_line(), 2u);
  ASSERT_TRUE(reader.Next(&fields));
  EXPECT_THAT(fields, ElementsAre("2", "two\nlines \"quoted\"", "3"));
  EXPECT_EQ(reader.record_line(), 3u);
  ASSERT_TRUE(reader.Next(&fields));
  EXPECT_THAT(fields, ElementsAre("3", "", ""));
  EXPECT_EQ(reader.record_line(), 5u);
  EXPECT_FALSE(reader.Next(&fields));
  EXPECT_EQ(reader.error(), "");
}

TEST(CsvReader, ALastLineWithoutABreakIsARecord) {
  std::istringstream in("a,b\n1,2");
  CsvReader reader(in);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(&fields));
  ASSERT_TRUE(reader.Next(&fields));
  EXPECT_THAT(fields, ElementsAre("1", "2"));
  EXPECT_FALSE(reader.Next(&fields));
}

TEST(CsvReader, StopsWithAReasonOnAnUnclosedQuoteOrAnOverlongField) {
  std::istringstream unclosed("a\n\"never closed,\n1\n");
  CsvReader reader(unclosed);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(&fields));
  EXPECT_FALSE(reader.Next(&fields));
  EXPECT_EQ(reader.error(), "line 2: a quoted field is not closed");

  std::istringstream longer("a\n" + std::string(100, 'x') + "\n");
  CsvReader bounded(longer, {.max_field_bytes = 64, .max_fields = 10});
  ASSERT_TRUE(bounded.Next(&fields));
  EXPECT_FALSE(bounded.Next(&fields));
  EXPECT_EQ(bounded.error(), "line 2: a field longer than 64 bytes");

  std::istringstream wide("1,2,3,4\n");
  CsvReader narrow(wide, {.max_field_bytes = 64, .max_fields = 3});
  EXPECT_FALSE(narrow.Next(&fields));
  EXPECT_EQ(narrow.error(), "line 1: more than 3 fields");
}

TEST(CsvReader, RefusesTextAfterAClosingQuote) {
  std::istringstream in("\"a\"b,c\n");
  CsvReader reader(in);
  std::vector<std::string> fields;
  EXPECT_FALSE(reader.Next(&fields));
  EXPECT_EQ(reader.error(), "line 1: text after a closing quote");
}

}  // namespace
}  // namespace complaints::ctl
