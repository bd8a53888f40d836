#include "services/intake/domain/text_redaction.h"

#include "gtest/gtest.h"

namespace complaints::intake {
namespace {

TEST(RedactFreeTextTest, MasksPhonesIdsEmailsAndTheName) {
  EXPECT_EQ(RedactFreeText(
                "我是王芳，电话13800138000，身份证11010519491231002X，邮箱wang.fang@example.com，"
                "3号楼漏水",
                "王芳"),
            "我是[name]，电话[phone]，身份证[id]，邮箱[email]，3号楼漏水");
}

TEST(RedactFreeTextTest, FindsNumbersWrittenTheWaysPeopleWriteThem) {
  EXPECT_EQ(RedactFreeText("call me on +1 212 555 1234 or 138-0013-8000", ""),
            "call me on [phone] or [phone]");
  EXPECT_EQ(RedactFreeText("座机010-62345678请回电", ""), "座机[phone]请回电");
  EXPECT_EQ(RedactFreeText("old id 110105491231002 here", ""), "old id [id] here");
}

TEST(RedactFreeTextTest, LeavesTheMatterItselfAlone) {
  for (const char* kept :
       {"3号楼2单元1202室厨房水管漏水", "电梯困人，两位老人", "since 2026-11-27, 3 times",
        "the lift in block 12 stopped at floor 18", ""}) {
    EXPECT_EQ(RedactFreeText(kept, "王芳"), kept);
  }
}

TEST(RedactFreeTextTest, LongTextTakesOnePassWithoutBlowingTheStack) {
  // An attacker's text: long runs that backtracking matchers choke on.
  const std::string runs = std::string(200'000, 'a') + "@b " + std::string(200'000, '1') + " " +
                           std::string(100'000, '.') + "x@y.cn";
  const std::string redacted = RedactFreeText(runs, "");
  EXPECT_EQ(redacted.substr(redacted.size() - 10), "...[email]");
  EXPECT_NE(redacted.find(std::string(200'000, '1')), std::string::npos)
      << "a run of 200,000 digits is neither an ID nor a phone number";
}

}  // namespace
}  // namespace complaints::intake
