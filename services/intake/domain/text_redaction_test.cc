// The redacted text (§4.2): anyone's personal data masked, the matter kept.
#include "services/intake/domain/text_redaction.h"

#include <fstream>
#include <map>

#include "gtest/gtest.h"
#include "libs/testing/temp_dir.h"

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
       {"3号楼2单元厨房水管漏水", "电梯困人，两位老人", "since 2026-11-27, 3 times",
        "the lift in block 12 stopped at floor 18", "物业费从每平米2元涨到3元", "2026年11月",
        "王府井附近的分店", "张家界旅游回来", "高楼层水压太低", "小区的老人活动中心",
        "维修师傅还没来", "公司经理说", "语文老师住在楼上", "凌晨两点还有装修声", ""}) {
    EXPECT_EQ(RedactFreeText(kept, "王芳"), kept);
  }
}

TEST(RedactFreeTextTest, MasksOtherPeoplesNamesAndDoorNumbers) {
  EXPECT_EQ(RedactFreeText("邻居张伟每天晚上唱歌，隔壁王先生家的狗一直叫", ""),
            "邻居[name]每天晚上唱歌，隔壁[name]先生家的狗一直叫");
  EXPECT_EQ(RedactFreeText("楼上1802的住户，3栋1202，5-1203，住在1502", ""),
            "楼上[unit]的住户，3栋[unit]，[unit]，住在[unit]");
  EXPECT_EQ(RedactFreeText("My neighbour Sarah Connor in apartment 4B; call Mr. van der Berg", ""),
            "My neighbour [name] in apartment [unit]; call Mr. [name]");
  EXPECT_EQ(RedactFreeText("call (415) 555-2671 or 020 7946 0958", ""), "call [phone] or [phone]");
}

TEST(FindPersonalDataTest, SpansAreInOrderAndDoNotOverlap) {
  const std::vector<PersonalSpan> spans =
      FindPersonalData("13800138000@qq.com 业主李娜，电话13900139000", "李娜");
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].kind, PersonalKind::kEmail);  // the phone inside it is one span with it
  EXPECT_EQ(spans[1].kind, PersonalKind::kName);
  EXPECT_EQ(spans[2].kind, PersonalKind::kPhone);
  for (size_t i = 1; i < spans.size(); ++i) EXPECT_LE(spans[i - 1].end, spans[i].begin);
}

// One labelled sentence: its raw text and the spans marked in it.
struct Labelled {
  std::string text;
  std::vector<PersonalSpan> gold;
};

Labelled Parse(const std::string& line) {
  Labelled labelled;
  for (size_t i = 0; i < line.size();) {
    if (line[i] == '{' && i + 2 < line.size() && line[i + 2] == ':') {
      const size_t close = line.find('}', i);
      const char kind = line[i + 1];
      const size_t begin = labelled.text.size();
      labelled.text += line.substr(i + 3, close - i - 3);
      labelled.gold.push_back({begin, labelled.text.size(),
                               kind == 'N'   ? PersonalKind::kName
                               : kind == 'P' ? PersonalKind::kPhone
                               : kind == 'I' ? PersonalKind::kId
                               : kind == 'E' ? PersonalKind::kEmail
                                             : PersonalKind::kUnit});
      i = close + 1;
    } else {
      labelled.text.push_back(line[i++]);
    }
  }
  return labelled;
}

bool Overlaps(const PersonalSpan& a, const PersonalSpan& b) {
  return a.begin < b.end && b.begin < a.end;
}

// Precision and recall on sentences written for this (testdata/): a found
// name counts when it overlaps a marked name; a marked item is found when a
// span overlaps it (numbers and addresses: a span of any kind).
TEST(RedactFreeTextTest, PrecisionAndRecallOnLabelledSentences) {
  std::ifstream file(testing::SourceDir() +
                     "/services/intake/domain/testdata/personal_data_sentences.txt");
  ASSERT_TRUE(file);
  int sentences = 0, names = 0, names_found = 0, found_names = 0, found_right = 0, numbers = 0,
      numbers_found = 0;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#') continue;
    ++sentences;
    const Labelled labelled = Parse(line);
    const std::vector<PersonalSpan> found = FindPersonalData(labelled.text, "");
    for (const PersonalSpan& gold : labelled.gold) {
      const bool name = gold.kind == PersonalKind::kName;
      bool hit = false;
      for (const PersonalSpan& span : found) {
        hit |= Overlaps(span, gold) && (!name || span.kind == PersonalKind::kName);
      }
      (name ? names : numbers) += 1;
      (name ? names_found : numbers_found) += hit;
      if (!hit) std::printf("  missed: %s\n", line.c_str());
    }
    for (const PersonalSpan& span : found) {
      if (span.kind != PersonalKind::kName) continue;
      ++found_names;
      bool right = false;
      for (const PersonalSpan& gold : labelled.gold) {
        right |= gold.kind == PersonalKind::kName && Overlaps(span, gold);
      }
      found_right += right;
      if (!right) {
        std::printf("  not a name: \"%s\" in %s\n",
                    labelled.text.substr(span.begin, span.end - span.begin).c_str(), line.c_str());
      }
    }
  }
  const double name_recall = 100.0 * names_found / names;
  const double name_precision = 100.0 * found_right / std::max(found_names, 1);
  const double number_recall = 100.0 * numbers_found / numbers;
  std::printf(
      "redaction on %d labelled sentences: names recall %.1f %% (%d of %d), precision "
      "%.1f %% (%d of %d); numbers and addresses recall %.1f %% (%d of %d)\n",
      sentences, name_recall, names_found, names, name_precision, found_right, found_names,
      number_recall, numbers_found, numbers);
  EXPECT_GE(sentences, 200);
  EXPECT_GE(name_recall, 90.0);
  EXPECT_GE(name_precision, 80.0);
  EXPECT_GE(number_recall, 99.0);
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
