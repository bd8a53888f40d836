// §2.3 priority by meaning, not spelling, for the rules the centre runs: the
// shipped config/classification.textproto (on purpose: the promise is about
// what ships, not a test rule set). Three measures, each printed:
//  - every life-safety phrase of the rules, under every way of writing it
//    differently (traditional characters, spaces and ideographic spaces,
//    invisible characters, variant characters, case, full width, look-alike
//    letters, combining marks, spaced-out letters) and every combination of
//    them, is P1;
//  - of the paraphrases in services/intake/domain/testdata (written before
//    the rules), at least 95 % are P1 or possible life safety;
//  - of ordinary complaints (the NYC 311 and CFPB samples in tests/data and
//    the bring-up's samples), under 3 % are raised to life safety or
//    possible life safety.
#include <array>
#include <fstream>
#include <functional>
#include <map>
#include <memory>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "complaints/v1/config.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "libs/core/config.h"
#include "libs/testing/temp_dir.h"
#include "services/intake/domain/classifier.h"
#include "services/intake/domain/matching_text.h"
#include "tools/complaintctl/history/csv_reader.h"
#include "unicode/translit.h"
#include "unicode/unistr.h"

namespace complaints {
namespace {

using intake::Classifier;
using intake::IsCjk;

std::string Source(const std::string& path) { return testing::SourceDir() + "/" + path; }

const Classifier& Shipped() {
  static const Classifier* classifier = [] {
    auto rules = LoadTextProto<v1::ClassificationRules>(Source("config/classification.textproto"));
    EXPECT_TRUE(rules.ok()) << rules.status();
    auto made = Classifier::Create(*rules);
    EXPECT_TRUE(made.ok()) << made.status();
    return new Classifier(*std::move(made));
  }();
  return *classifier;
}

v1::ComplaintClassified Classify(const std::string& content, const std::string& description = "",
                                 const std::string& unit = "1202") {
  v1::SubmitComplaintRequest request;
  request.set_content(content);
  request.set_description(description);
  request.mutable_location()->set_community("阳光花园");
  request.mutable_location()->set_building("3");
  request.mutable_location()->set_unit(unit);
  return Shipped().Classify(request);
}

std::u32string U32(const std::string& utf8) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
  std::u32string out;
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return out;
}
std::string Utf8(const std::u32string& text) { return intake::Utf8(text); }
bool IsLatin(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }

// --- The ways of writing a phrase differently --------------------------------

std::string Traditional(const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Transliterator* to_hant =
      icu::Transliterator::createInstance("Hans-Hant", UTRANS_FORWARD, status);
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(text);
  to_hant->transliterate(unicode);
  std::string out;
  unicode.toUTF8String(out);
  return out;
}

std::u32string Between(const std::u32string& text, char32_t mark,
                       const std::function<bool(char32_t, char32_t)>& where) {
  std::u32string out;
  for (size_t i = 0; i < text.size(); ++i) {
    out.push_back(text[i]);
    if (i + 1 < text.size() && where(text[i], text[i + 1])) out.push_back(mark);
  }
  return out;
}

// Characters that show nothing: ignorable ones and blanks that are not.
constexpr char32_t kInvisible[] = {0x034F, 0xFE0F, 0xFE0E, 0x3164,  0x2800, 0x200B,
                                   0x2060, 0x00AD, 0x115F, 0xE0020, 0x180E, 0x200D};
// Variant forms people (or their input methods) use: Japanese forms, radical
// forms, Kangxi radicals, old variants.
const std::map<char32_t, char32_t>& VariantForms() {
  static const auto* forms = new std::map<char32_t, char32_t>{
      {U'着', U'著'}, {U'气', U'気'}, {U'烧', U'焼'}, {U'焰', U'焔'}, {U'里', U'裏'},
      {U'门', U'⻔'}, {U'车', U'⻋'}, {U'风', U'⻛'}, {U'火', U'⽕'}, {U'人', U'⼈'},
      {U'水', U'⽔'}, {U'电', U'電'}, {U'险', U'険'}, {U'压', U'圧'}, {U'坏', U'壊'},
      {U'黑', U'黒'}, {U'关', U'關'}, {U'烟', U'煙'}, {U'漏', U'漏'}};
  return *forms;
}
// Latin letters and the Cyrillic letters that look the same.
const std::map<char32_t, char32_t>& LookAlikes() {
  static const auto* forms = new std::map<char32_t, char32_t>{
      {U'a', 0x0430}, {U'c', 0x0441}, {U'e', 0x0435}, {U'o', 0x043E}, {U'p', 0x0440},
      {U'x', 0x0445}, {U'y', 0x0443}, {U'i', 0x0456}, {U's', 0x0455}};
  return *forms;
}

struct Transformation {
  const char* name;
  std::function<bool(const std::u32string&)> applies;
  std::function<std::u32string(const std::u32string&)> apply;
};

const std::vector<Transformation>& Transformations() {
  const auto has = [](const std::function<bool(char32_t)>& test) {
    return
        [test](const std::u32string& text) { return std::any_of(text.begin(), text.end(), test); };
  };
  const auto cjk_pair = [](char32_t a, char32_t b) { return IsCjk(a) && IsCjk(b); };
  static const auto* all = new std::vector<Transformation>{
      {"traditional", has([](char32_t c) { return IsCjk(c); }),
       [](const std::u32string& t) { return U32(Traditional(Utf8(t))); }},
      {"variants", has([](char32_t c) { return VariantForms().count(c) > 0; }),
       [](const std::u32string& t) {
         std::u32string out = t;
         for (char32_t& c : out) {
           if (auto it = VariantForms().find(c); it != VariantForms().end()) c = it->second;
         }
         return out;
       }},
      {"upper case", has(IsLatin),
       [](const std::u32string& t) {
         std::u32string out = t;
         for (char32_t& c : out) {
           if (c >= U'a' && c <= U'z') c = c - U'a' + U'A';
         }
         return out;
       }},
      {"spaced letters", has(IsLatin),
       [](const std::u32string& t) {
         // One space between the letters of a word, three between words.
         std::u32string out;
         for (size_t i = 0; i < t.size(); ++i) {
           out.push_back(t[i] == U' ' ? U' ' : t[i]);
           if (t[i] == U' ') out += U"  ";
           if (IsLatin(t[i]) && i + 1 < t.size() && IsLatin(t[i + 1])) out.push_back(U' ');
         }
         return out;
       }},
      {"look-alikes", has([](char32_t c) { return LookAlikes().count(c) > 0; }),
       [](const std::u32string& t) {
         std::u32string out = t;
         for (char32_t& c : out) {
           if (auto it = LookAlikes().find(c); it != LookAlikes().end()) c = it->second;
         }
         return out;
       }},
      {"full width", has(IsLatin),
       [](const std::u32string& t) {
         std::u32string out = t;
         for (char32_t& c : out) {
           if (IsLatin(c)) c = c - U'!' + 0xFF01;
         }
         return out;
       }},
      {"spaces", has([](char32_t c) { return IsCjk(c); }),
       [cjk_pair](const std::u32string& t) { return Between(t, U' ', cjk_pair); }},
      {"ideographic spaces", has([](char32_t c) { return IsCjk(c); }),
       [cjk_pair](const std::u32string& t) { return Between(t, 0x3000, cjk_pair); }},
      {"combining marks", [](const std::u32string&) { return true; },
       [](const std::u32string& t) {
         return Between(t, 0x0301, [](char32_t a, char32_t) { return a != U' '; });
       }},
      {"invisible characters", [](const std::u32string&) { return true; },
       [](const std::u32string& t) {
         std::u32string out;
         size_t k = 0;
         for (size_t i = 0; i < t.size(); ++i) {
           out.push_back(t[i]);
           if (i + 1 < t.size() && t[i] != U' ' && t[i + 1] != U' ') {
             out.push_back(kInvisible[k++ % std::size(kInvisible)]);
           }
         }
         return out;
       }},
  };
  return *all;
}

// Every phrase of the life-safety rules: their keywords, and each pattern
// written with each word of one set beside the first word of the other(s),
// in both orders.
std::vector<std::pair<std::string, std::string>> LifeSafetyPhrases() {
  auto rules = *LoadTextProto<v1::ClassificationRules>(Source("config/classification.textproto"));
  std::vector<std::pair<std::string, std::string>> phrases;  // rule id, phrase
  for (const v1::ClassificationRule& rule : rules.rules()) {
    if (!rule.life_safety()) continue;
    for (const std::string& keyword : rule.keywords()) phrases.push_back({rule.id(), keyword});
    for (const v1::NearbyTerms& pattern : rule.patterns()) {
      for (int s = 0; s < pattern.all_of_size(); ++s) {
        for (const std::string& word : pattern.all_of(s).any_of()) {
          std::vector<std::string> words;
          for (int o = 0; o < pattern.all_of_size(); ++o) {
            words.push_back(o == s ? word : pattern.all_of(o).any_of(0));
          }
          const bool cjk = IsCjk(U32(words[0])[0]);
          const std::string separator = cjk ? "" : " ";
          phrases.push_back({rule.id(), absl::StrJoin(words, separator)});
          std::reverse(words.begin(), words.end());
          phrases.push_back({rule.id(), absl::StrJoin(words, separator)});
        }
      }
    }
  }
  return phrases;
}

TEST(LifeSafety, EveryPhraseIsP1HoweverItIsWritten) {
  size_t variants = 0, p1 = 0;
  std::map<std::string, size_t> misses_by_way;
  std::vector<std::string> examples;
  for (const auto& [rule, phrase] : LifeSafetyPhrases()) {
    const std::u32string base = U32(phrase);
    std::vector<const Transformation*> ways;
    for (const Transformation& way : Transformations()) {
      if (way.applies(base)) ways.push_back(&way);
    }
    for (uint32_t subset = 0; subset < (1u << ways.size()); ++subset) {
      std::u32string text = base;
      std::string names;
      for (size_t w = 0; w < ways.size(); ++w) {
        if ((subset & (1u << w)) == 0) continue;
        text = ways[w]->apply(text);
        names += std::string(names.empty() ? "" : "+") + ways[w]->name;
      }
      const bool cjk = IsCjk(base[0]);
      const std::string content =
          cjk ? "3号楼" + Utf8(text) + "，请速来" : "Building 3: " + Utf8(text) + ", please hurry";
      ++variants;
      const v1::ComplaintClassified result = Classify(content);
      if (result.priority() == v1::PRIORITY_P1 && result.life_safety()) {
        ++p1;
        continue;
      }
      ++misses_by_way[names.empty() ? "as written" : names];
      if (examples.size() < 40 && (names.empty() || examples.size() < 10)) {
        examples.push_back(rule + ": " + content + " [" + names + "] -> " + result.category() +
                           " P" + std::to_string(static_cast<int>(result.priority())));
      }
    }
  }
  std::printf("life-safety variants: %zu generated, %zu P1 (%.2f %%)\n", variants, p1,
              100.0 * static_cast<double>(p1) / static_cast<double>(variants));
  size_t shown = 0;
  for (const auto& [ways, misses] : misses_by_way) {
    if (++shown <= 20) std::printf("  %zu not P1 written with %s\n", misses, ways.c_str());
  }
  for (const std::string& example : examples) std::printf("  not P1: %s\n", example.c_str());
  EXPECT_GT(variants, 1000u);
  EXPECT_EQ(p1, variants);
}

TEST(LifeSafety, ParaphrasesWrittenBeforeTheRulesAreP1OrPossibleLifeSafety) {
  std::ifstream file(Source("services/intake/domain/testdata/life_safety_paraphrases.tsv"));
  ASSERT_TRUE(file) << "the paraphrase table is missing";
  std::map<std::string, std::pair<int, int>> by_language;  // caught, all
  int caught = 0, total = 0, p1 = 0;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = absl::StrSplit(line, absl::MaxSplits('\t', 1));
    ASSERT_EQ(fields.size(), 2u) << line;
    const v1::ComplaintClassified result = Classify(fields[1]);
    const bool is_p1 = result.priority() == v1::PRIORITY_P1 && result.life_safety();
    const bool hit = is_p1 || !result.possible_life_safety().empty();
    ++total;
    caught += hit;
    p1 += is_p1;
    by_language[fields[0]].first += hit;
    ++by_language[fields[0]].second;
    if (!hit) {
      std::printf("  missed (%s): %s -> %s P%d\n", fields[0].c_str(), fields[1].c_str(),
                  result.category().c_str(), static_cast<int>(result.priority()));
    }
  }
  std::printf("paraphrases: %d of %d P1 or possible life safety (%.1f %%), %d P1\n", caught, total,
              100.0 * caught / total, p1);
  for (const auto& [language, counts] : by_language) {
    std::printf("  %-8s %d of %d\n", language.c_str(), counts.first, counts.second);
  }
  EXPECT_GE(total, 60);
  EXPECT_GE(caught * 100, total * 95);
}

// The ordinary complaints of the samples, as the e2e test and the history
// import present them.
std::vector<std::pair<std::string, v1::SubmitComplaintRequest>> OrdinaryComplaints() {
  std::vector<std::pair<std::string, v1::SubmitComplaintRequest>> complaints;
  const auto read_csv = [&](const std::string& path, const std::string& name,
                            const std::function<void(const std::map<std::string, std::string>&,
                                                     v1::SubmitComplaintRequest&)>& fill) {
    std::ifstream in(Source(path));
    EXPECT_TRUE(in) << path;
    ctl::CsvReader reader(in);
    std::vector<std::string> header;
    EXPECT_TRUE(reader.Next(&header)) << path;
    std::vector<std::string> row;
    while (reader.Next(&row)) {
      std::map<std::string, std::string> columns;
      for (size_t i = 0; i < header.size() && i < row.size(); ++i) columns[header[i]] = row[i];
      v1::SubmitComplaintRequest request;
      fill(columns, request);
      complaints.push_back({name, std::move(request)});
    }
    EXPECT_TRUE(reader.error().empty()) << path << ": " << reader.error();
  };
  read_csv("tests/data/nyc311-2011-03-complaints.csv", "nyc311",
           [](const auto& c, v1::SubmitComplaintRequest& r) {
             r.set_content(c.at("complaint_type") + ": " + c.at("descriptor"));
             r.set_description(c.at("location_type"));
             r.mutable_location()->set_community(c.at("borough"));
           });
  read_csv("tests/data/history/cfpb-narratives.csv", "cfpb",
           [](const auto& c, v1::SubmitComplaintRequest& r) {
             const std::string& narrative = c.at("Consumer complaint narrative");
             r.set_content(c.at("Issue"));
             r.set_description(narrative.substr(0, 5000));
             r.mutable_location()->set_community(c.at("State"));
           });
  std::ifstream samples(Source("deploy/local/sample-complaints.jsonl"));
  EXPECT_TRUE(samples);
  std::string line;
  while (std::getline(samples, line)) {
    if (line.empty() || line[0] == '#') continue;
    v1::SubmitComplaintRequest request;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &request).ok()) << line;
    complaints.push_back({"samples", std::move(request)});
  }
  return complaints;
}

TEST(LifeSafety, FewOrdinaryComplaintsAreRaised) {
  std::map<std::string, std::array<int, 4>> by_source;  // raised, life safety, P1, all
  int raised = 0, total = 0;
  for (const auto& [source, request] : OrdinaryComplaints()) {
    const v1::ComplaintClassified result = Shipped().Classify(request);
    const bool is_raised = result.life_safety() || !result.possible_life_safety().empty();
    std::array<int, 4>& counts = by_source[source];
    counts[0] += is_raised;
    counts[1] += result.life_safety();
    counts[2] += result.priority() == v1::PRIORITY_P1;
    ++counts[3];
    raised += is_raised;
    ++total;
    if (is_raised && source != "samples") {
      std::printf("  raised (%s): %.80s -> %s\n", source.c_str(), request.content().c_str(),
                  result.life_safety() ? "life safety" : result.possible_life_safety().c_str());
    }
  }
  std::printf(
      "ordinary complaints raised to life safety or possible life safety: %d of %d "
      "(%.2f %%)\n",
      raised, total, 100.0 * raised / total);
  for (const auto& [source, counts] : by_source) {
    std::printf("  %-8s raised %d (life safety %d), P1 by any rule %d, of %d\n", source.c_str(),
                counts[0], counts[1], counts[2], counts[3]);
  }
  EXPECT_GT(total, 3000);
  EXPECT_LT(raised * 100, total * 3);
}

}  // namespace
}  // namespace complaints
