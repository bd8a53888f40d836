#include "libs/core/log.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "spdlog/spdlog.h"

namespace complaints {
namespace {

// Each line of `logged` as a JSON object; a line that is not one fails the test.
std::vector<google::protobuf::Struct> ParseLines(const std::string& logged) {
  std::vector<google::protobuf::Struct> lines;
  for (absl::string_view line : absl::StrSplit(logged, '\n', absl::SkipEmpty())) {
    google::protobuf::Struct parsed;
    const auto status = google::protobuf::util::JsonStringToMessage(std::string(line), &parsed);
    EXPECT_TRUE(status.ok()) << status << " in " << line;
    lines.push_back(parsed);
  }
  return lines;
}

std::string Field(const google::protobuf::Struct& line, const std::string& name) {
  auto it = line.fields().find(name);
  return it == line.fields().end() ? "<absent>" : it->second.string_value();
}

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitLogging("intake");
    ASSERT_TRUE(SetLogLevel("info"));
  }
  void TearDown() override { spdlog::drop_all(); }
};

TEST_F(LogTest, LinesInAComplaintScopeCarryItsIdsAndOthersDoNot) {
  ::testing::internal::CaptureStderr();
  spdlog::info("before");
  {
    const ComplaintLogScope complaint({.complaint_id = "C-20261127-0001",
                                       .event_id = "C-20261127-0001/intake/1",
                                       .causation_id = "cmd \"7\"\n"});
    spdlog::info("recorded received");
    {
      const ComplaintLogScope nested({.complaint_id = "C-2"});
      spdlog::warn("about another");
    }
    spdlog::info("back to the first");
  }
  spdlog::info("after");
  const std::vector<google::protobuf::Struct> lines =
      ParseLines(::testing::internal::GetCapturedStderr());
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(Field(lines[0], "complaint_id"), "<absent>");
  EXPECT_EQ(Field(lines[1], "service"), "intake");
  EXPECT_EQ(Field(lines[1], "msg"), "recorded received");
  EXPECT_EQ(Field(lines[1], "complaint_id"), "C-20261127-0001");
  EXPECT_EQ(Field(lines[1], "event_id"), "C-20261127-0001/intake/1");
  EXPECT_EQ(Field(lines[1], "causation_id"), "cmd \"7\"\n");
  EXPECT_EQ(Field(lines[2], "complaint_id"), "C-2");
  EXPECT_EQ(Field(lines[2], "event_id"), "<absent>") << "empty fields are left out";
  EXPECT_EQ(Field(lines[2], "level"), "warning");
  EXPECT_EQ(Field(lines[3], "complaint_id"), "C-20261127-0001") << "the outer scope is back";
  EXPECT_EQ(Field(lines[4], "complaint_id"), "<absent>");
}

TEST_F(LogTest, AMessageCannotForgeAFieldOrBreakItsLine) {
  ::testing::internal::CaptureStderr();
  spdlog::info("x\",\"complaint_id\":\"forged\n{}", "\x01");
  const std::vector<google::protobuf::Struct> lines =
      ParseLines(::testing::internal::GetCapturedStderr());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(Field(lines[0], "complaint_id"), "<absent>");
  EXPECT_EQ(Field(lines[0], "msg"), "x\",\"complaint_id\":\"forged\n\x01");
}

TEST_F(LogTest, TheLevelThresholdDropsQuieterLines) {
  ASSERT_TRUE(SetLogLevel("warn"));
  ::testing::internal::CaptureStderr();
  spdlog::info("dropped");
  spdlog::warn("kept");
  const std::vector<google::protobuf::Struct> lines =
      ParseLines(::testing::internal::GetCapturedStderr());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(Field(lines[0], "msg"), "kept");
  EXPECT_FALSE(SetLogLevel("verbose"));
  EXPECT_FALSE(SetLogLevel("warning"));
}

}  // namespace
}  // namespace complaints
