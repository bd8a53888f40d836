#include "services/analytics/domain/terms.h"

#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include <memory>
#include <set>

#include "absl/container/flat_hash_set.h"

namespace complaints::analytics {
namespace {

// Function words that say nothing about a complaint's matter.
const absl::flat_hash_set<std::string>& StopWords() {
  static const auto* words = new absl::flat_hash_set<std::string>{
      // Chinese
      "我们", "你们", "他们", "这个", "那个", "这些", "那些", "一个", "一些", "没有", "不是",
      "就是", "还是", "但是", "因为", "所以", "如果", "已经", "可以", "什么", "怎么", "这样",
      "那样", "自己", "现在", "时候", "非常", "比较", "还有", "以及", "或者", "而且", "然后",
      "的话", "一下", "一直", "问题", "情况", "请问", "麻烦", "谢谢", "你好", "您好", "希望",
      "尽快", "处理", "反映", "投诉", "今天", "昨天", "每天",
      // English
      "the", "and", "for", "are", "was", "were", "been", "being", "have", "has", "had", "with",
      "this", "that", "these", "those", "from", "into", "onto", "our", "ours", "your", "yours",
      "their", "theirs", "they", "them", "there", "here", "what", "which", "who", "whom", "when",
      "where", "why", "how", "not", "but", "can", "could", "would", "should", "will", "shall",
      "may", "might", "must", "its", "it's", "is", "am", "be", "do", "does", "did", "done", "of",
      "on", "in", "at", "to", "by", "an", "as", "or", "if", "so", "no", "yes", "we", "you", "he",
      "she", "it", "me", "my", "us", "him", "her", "his", "all", "any", "some", "very", "too",
      "also", "just", "please", "thanks", "thank", "again", "about", "after", "before", "still",
      "than", "then", "out", "up", "down", "over", "under", "more", "most", "other", "such", "only",
      "own", "same", "few", "each", "both", "because", "while", "since", "until", "xxxx", "xx"};
  return *words;
}

// Drops "[phone]"-style markers: a '[' then ASCII letters then ']'.
std::string WithoutMarkers(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '[') {
      size_t j = i + 1;
      while (j < text.size() && ((text[j] >= 'a' && text[j] <= 'z') || text[j] == '_')) ++j;
      if (j < text.size() && j > i + 1 && text[j] == ']') {
        out.push_back(' ');
        i = j;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::unique_ptr<icu::BreakIterator> NewWordIterator() {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createWordInstance(icu::Locale::getChinese(), status));
  if (U_FAILURE(status)) return nullptr;
  return it;
}

}  // namespace

std::vector<std::string> TermsOf(absl::string_view text) {
  // Creating an iterator loads ICU's rules and dictionaries: one per thread.
  thread_local std::unique_ptr<icu::BreakIterator> words = NewWordIterator();
  std::vector<std::string> out;
  if (words == nullptr) return out;
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(WithoutMarkers(text));
  unicode.toLower();
  words->setText(unicode);
  std::set<std::string> seen;
  int32_t start = words->first();
  for (int32_t end = words->next();
       end != icu::BreakIterator::DONE && out.size() < kMaxTermsPerText;
       start = end, end = words->next()) {
    const int32_t status = words->getRuleStatus();
    // Letters (UBRK_WORD_LETTER), kana and ideographs; not numbers or punctuation.
    if (status < UBRK_WORD_LETTER || status >= UBRK_WORD_IDEO_LIMIT) continue;
    const icu::UnicodeString word = unicode.tempSubStringBetween(start, end);
    if (word.countChar32() < 2) continue;
    std::string term;
    word.toUTF8String(term);
    if (term.size() > kMaxTermBytes || StopWords().contains(term)) continue;
    if (seen.insert(term).second) out.push_back(std::move(term));
  }
  return out;
}

}  // namespace complaints::analytics
