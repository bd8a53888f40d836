#include "services/intake/domain/name_finder.h"

#include <algorithm>
#include <set>
#include <string>

#include "services/intake/domain/utf8_text.h"
#include "unicode/uchar.h"
#include "unicode/uscript.h"

namespace complaints::intake {
namespace {

// Common Chinese surnames that are not everyday words.
constexpr std::u32string_view kSurnames =
    U"王李张刘陈杨黄赵吴乔周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖董袁潘蒋蔡杜叶程苏魏吕丁任"
    U"沈姚卢"
    U"姜崔钟谭陆汪范廖贾韦邹孟熊秦邱尹薛闫阎段侯陶黎贺顾郝龚邵钱覃戴莫孔汤施樊葛邢伍庞颜倪庄聂章鲁"
    U"岳翟"
    U"殷詹申欧耿焦俞柯纪毕季裴霍涂骆靳柴鲍祁滕饶牟缪褚娄窦戚岑晏柏瞿桂佟臧闵苟邬卞姬仇栾隋刁巫寇郎"
    U"甄仲"
    U"虞敖巩佘邝匡鞠荆冀郁胥栗鄢谌奚粟冼蔺厉仝郜阚屠朴禹漆狄晁芮扈";
// Surnames that are also everyday words (高楼, 夏天, 卫生, 凌晨): taken only
// right before a title (高先生), never as the start of a longer name.
// Characters that are surnames only rarely and words often (史 in 历史老师,
// 文 in 语文老师, 司 in 公司经理, 修 in 维修师傅) are in neither list.
constexpr std::u32string_view kWordlikeSurnames =
    U"高田金石方白江赖常万龙毛雷武易严温康齐甘祝尚曲宫景冷米宗沙荣桑丛池惠封储燕皮满闻伊海权强帅盖"
    U"廉祖卿"
    U"索宣晋云容鹿慕茹於玉银牛古吉简项华谷于夏凌卫童左付余尤兰柳梅苗蓝辛蒙喻蒲屈艾穆卓冉盛翁舒阮";
constexpr std::u32string_view kCompoundSurnames[] = {
    U"欧阳", U"诸葛", U"司马", U"上官", U"慕容", U"皇甫", U"司徒", U"夏侯", U"令狐",
    U"尉迟", U"公孙", U"轩辕", U"端木", U"独孤", U"南宫", U"长孙", U"宇文", U"呼延"};
// Titles and forms of address that follow a name.
constexpr std::u32string_view kTitles[] = {
    U"老太太", U"老先生", U"先生", U"女士", U"小姐", U"太太", U"夫人", U"阿姨",
    U"师傅",   U"大爷",   U"大妈", U"大叔", U"大姐", U"大哥", U"老师", U"经理",
    U"主任",   U"医生",   U"律师", U"老板", U"叔叔", U"阿婆", U"奶奶", U"爷爷",
    U"老太",   U"伯伯",   U"阿伯", U"婆婆", U"同学", U"保安", U"总"};
// Words that introduce a person, before their name (楼上的, 邻居叫 …).
constexpr std::u32string_view kIntroductions[] = {
    U"邻居", U"业主", U"住户", U"租户",   U"房东",     U"室友",   U"保安",  U"保洁员", U"保洁",
    U"管家", U"楼上", U"楼下", U"隔壁",   U"对门",     U"名叫",   U"叫做",  U"姓名",   U"名字是",
    U"我叫", U"我是", U"本人", U"联系人", U"爱人",     U"老公",   U"老婆",  U"丈夫",   U"妻子",
    U"儿子", U"女儿", U"客服", U"维修工", U"工作人员", U"负责人", U"经办人"};
// Characters that end a given name: particles, verbs and words that follow
// a name in a sentence.
constexpr std::u32string_view kNameEnders =
    U"的了在说家把又和跟是也都就还每经一总很不从对给被让天晚早上下老打来去到将与及等们这那个位反投"
    U"称表要找讲问叫请已曾才再会能可没有并而却因所为以于着过吗呢吧啊呀哦嘛先女太阿师夫主医律"
    U"同保装占欠住拿放扔堆停骂吵唱跳遛养带摔偷坏漏冒烧种修换收交退发回踢晒挂贴敲砸哭笑闹弄搬用开关"
    U"锁刷等当认答";
// Characters of places and things: a "given name" holding one is a word (高楼层, 王府井).
constexpr std::u32string_view kThingCharacters =
    U"楼层区门梯房车库场道路口室院园厅间面台窗墙顶边头里外费水电气灯物业府井界店";
// What follows a name that opens a clause (郭志强在…, 韩梅梅的…).
constexpr std::u32string_view kClauseFollowers[] = {
    U"在", U"的", U"家", U"说", U"把", U"又", U"天天", U"每天", U"经常", U"总是", U"一直", U"带",
    U"和", U"跟", U"要", U"对", U"不", U"也", U"还",   U"就",   U"已经", U"反映", U"投诉"};

bool In(std::u32string_view set, char32_t c) { return set.find(c) != std::u32string_view::npos; }
// Below the CJK blocks: no title, introduction or surname starts there.
bool BelowCjk(char32_t c) { return c < 0x2E80; }
bool IsHan(char32_t c) {
  return u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_SCRIPT) == USCRIPT_HAN;
}
bool IsSafeSurname(char32_t c) { return In(kSurnames, c); }
bool IsAnySurname(char32_t c) { return In(kSurnames, c) || In(kWordlikeSurnames, c); }
bool GivenCharacter(char32_t c) { return IsHan(c) && !In(kNameEnders, c); }

// The compound surname at `k` (its length), or 0.
size_t CompoundAt(const Utf8Text& chars, size_t k) {
  for (std::u32string_view compound : kCompoundSurnames) {
    if (chars.StartsWithAny(k, {compound})) return compound.size();
  }
  return 0;
}

// The surname at `k` and up to two given-name characters: the name's end,
// or `k` when none begins there. A single safe surname needs a given name
// unless 家 follows it (楼上的张家).
size_t NameFrom(const Utf8Text& chars, size_t k) {
  size_t surname = CompoundAt(chars, k);
  if (surname == 0 && k < chars.size() && IsSafeSurname(chars[k])) surname = 1;
  if (surname == 0) return k;
  size_t end = k + surname;
  while (end < chars.size() && end - k - surname < 2 && GivenCharacter(chars[end])) ++end;
  if (end > k + surname) return end;
  if (surname == 2 || (end < chars.size() && chars[end] == U'家')) return end;
  return k;
}

void Add(const Utf8Text& chars, size_t from, size_t to, std::vector<PersonalSpan>& spans) {
  spans.push_back({chars.offset(from), chars.offset(to), PersonalKind::kName});
}

// 王先生, 张建国经理, 欧阳娜娜女士: the longest name ending at the title.
void BeforeTitles(const Utf8Text& chars, std::vector<PersonalSpan>& spans) {
  for (size_t t = 1; t < chars.size(); ++t) {
    if (BelowCjk(chars[t])) continue;
    const std::u32string_view* title = nullptr;
    for (const std::u32string_view& each : kTitles) {
      if (chars.StartsWithAny(t, {each})) {
        title = &each;
        break;
      }
    }
    if (title == nullptr) continue;
    size_t begin = t;
    for (size_t length = std::min<size_t>(t, 4); length >= 2 && begin == t; --length) {
      if (NameFrom(chars, t - length) == t) begin = t - length;
    }
    if (begin == t && IsAnySurname(chars[t - 1])) begin = t - 1;
    if (begin < t) Add(chars, begin, t, spans);
    t += title->size() - 1;
  }
}

// 邻居张伟, 我叫许文, 楼上的刘建华, 我邻居叫吕明.
void AfterIntroductions(const Utf8Text& chars, std::vector<PersonalSpan>& spans) {
  for (size_t k = 0; k < chars.size(); ++k) {
    if (BelowCjk(chars[k])) continue;
    for (std::u32string_view word : kIntroductions) {
      if (!chars.StartsWithAny(k, {word})) continue;
      size_t at = k + word.size();
      for (std::u32string_view joiner : {U"的", U"叫", U"名叫", U"是", U"姓"}) {
        if (chars.StartsWithAny(at, {joiner})) {
          at += joiner.size();
          break;
        }
      }
      if (const size_t end = NameFrom(chars, at); end > at) Add(chars, at, end, spans);
      break;
    }
  }
}

// 老王, 小李: a safe surname after 老 or 小, ending there.
void Nicknames(const Utf8Text& chars, std::vector<PersonalSpan>& spans) {
  for (size_t k = 0; k + 1 < chars.size(); ++k) {
    if ((chars[k] != U'老' && chars[k] != U'小') || !IsSafeSurname(chars[k + 1])) continue;
    if (k + 2 < chars.size() && GivenCharacter(chars[k + 2])) continue;  // 小程序, not 小程
    Add(chars, k, k + 2, spans);
  }
}

// A compound surname anywhere, with the name it begins (诸葛明, 欧阳娜娜).
void CompoundNames(const Utf8Text& chars, std::vector<PersonalSpan>& spans) {
  for (size_t k = 0; k + 1 < chars.size(); ++k) {
    if (BelowCjk(chars[k]) || CompoundAt(chars, k) == 0) continue;
    const size_t end = NameFrom(chars, k);
    if (end > k + 2) Add(chars, k, end, spans);
  }
}

// A three- or four-character name opening a clause and followed by what
// people do: 郭志强在小区里…, 韩梅梅的电动车.
void OpeningClauses(const Utf8Text& chars, std::vector<PersonalSpan>& spans) {
  for (size_t k = 0; k < chars.size(); ++k) {
    if (BelowCjk(chars[k]) || (k > 0 && IsHan(chars[k - 1]))) continue;
    size_t surname = CompoundAt(chars, k);
    if (surname == 0 && IsSafeSurname(chars[k])) surname = 1;
    if (surname == 0 || k + surname + 2 > chars.size()) continue;
    const size_t end = k + surname + 2;
    bool given = true;
    for (size_t g = k + surname; g < end; ++g) {
      given &= GivenCharacter(chars[g]) && !In(kThingCharacters, chars[g]);
    }
    bool followed = false;
    for (std::u32string_view follower : kClauseFollowers) {
      followed |= chars.StartsWithAny(end, {follower});
    }
    if (given && followed) Add(chars, k, end, spans);
  }
}

// --- English -------------------------------------------------------------------

bool Upper(char32_t c) { return c >= U'A' && c <= U'Z'; }
bool Letter(char32_t c) { return (c >= U'a' && c <= U'z') || Upper(c); }

// The word at `k` (letters, apostrophes, hyphens inside): its end.
size_t WordEnd(const Utf8Text& chars, size_t k) {
  size_t end = k;
  while (
      end < chars.size() &&
      (Letter(chars[end]) || ((chars[end] == U'\'' || chars[end] == U'’' || chars[end] == U'-') &&
                              end + 1 < chars.size() && Letter(chars[end + 1])))) {
    ++end;
  }
  return end;
}

std::u32string Lower(const Utf8Text& chars, size_t from, size_t to) {
  std::u32string word;
  for (size_t i = from; i < to; ++i)
    word.push_back(Upper(chars[i]) ? chars[i] - U'A' + U'a' : chars[i]);
  return word;
}

const std::set<std::u32string>& NotNames() {
  static const auto* words = new std::set<std::u32string>{
      U"the",     U"a",         U"an",         U"i",          U"he",         U"she",
      U"they",    U"we",        U"it",         U"this",       U"that",       U"these",
      U"those",   U"my",        U"our",        U"your",       U"his",        U"her",
      U"their",   U"in",        U"on",         U"at",         U"from",       U"to",
      U"for",     U"and",       U"or",         U"but",        U"building",   U"block",
      U"floor",   U"apartment", U"apt",        U"unit",       U"room",       U"flat",
      U"suite",   U"street",    U"road",       U"avenue",     U"lane",       U"monday",
      U"tuesday", U"wednesday", U"thursday",   U"friday",     U"saturday",   U"sunday",
      U"january", U"february",  U"march",      U"april",      U"may",        U"june",
      U"july",    U"august",    U"september",  U"october",    U"november",   U"december",
      U"mr",      U"mrs",       U"ms",         U"miss",       U"mx",         U"dr",
      U"prof",    U"sir",       U"madam",      U"has",        U"is",         U"was",
      U"keeps",   U"says",      U"reports",    U"complained", U"please",     U"who",
      U"which",   U"upstairs",  U"downstairs", U"next",       U"management", U"security",
      U"office"};
  return *words;
}
const std::set<std::u32string>& Particles() {
  static const auto* words =
      new std::set<std::u32string>{U"van", U"der", U"den", U"de", U"von", U"la", U"le",
                                   U"di",  U"da",  U"del", U"du", U"bin", U"al"};
  return *words;
}

// The name words from `k` (spaces skipped first): up to three capitalised
// words (particles between them allowed). Returns [begin, end), empty when
// none.
std::pair<size_t, size_t> NameWordsFrom(const Utf8Text& chars, size_t k) {
  while (k < chars.size() && chars[k] == U' ') ++k;
  size_t end = k, words = 0;
  for (size_t at = k; at < chars.size() && words < 3;) {
    const size_t word_end = WordEnd(chars, at);
    if (word_end == at) break;
    const std::u32string lower = Lower(chars, at, word_end);
    const bool particle = Particles().count(lower) > 0;
    if (!particle && (!Upper(chars[at]) || NotNames().count(lower) > 0)) break;
    if (!particle) {
      end = word_end;
      ++words;
    }
    at = word_end;
    if (at < chars.size() && chars[at] == U' ') ++at;
  }
  return {k, words > 0 ? end : k};
}

bool WordStart(const Utf8Text& chars, size_t k) { return k == 0 || !Letter(chars[k - 1]); }

void EnglishNames(const Utf8Text& chars, std::vector<PersonalSpan>& spans) {
  static const std::u32string_view kEnglishTitles[] = {
      U"mister", U"madam", U"miss", U"prof", U"mrs", U"sir", U"mr", U"ms", U"mx", U"dr"};
  static const std::u32string_view kEnglishIntroductions[] = {
      U"my name is", U"neighbours", U"neighbour",      U"neighbors", U"neighbor", U"tenants",
      U"tenant",     U"landlord",   U"landlady",       U"owner",     U"resident", U"roommate",
      U"flatmate",   U"caretaker",  U"superintendent", U"janitor",   U"guard",    U"concierge",
      U"doorman",    U"named",      U"called",         U"i am",      U"i'm",      U"this is"};
  for (size_t k = 0; k < chars.size(); ++k) {
    if (!Letter(chars[k]) || !WordStart(chars, k)) continue;
    for (std::u32string_view title : kEnglishTitles) {
      if (!chars.StartsWithFolded(k, title) || !Upper(chars[k])) continue;
      size_t at = k + title.size();
      if (at < chars.size() && chars[at] == U'.') ++at;
      if (at >= chars.size() || chars[at] != U' ') continue;
      const auto [begin, end] = NameWordsFrom(chars, at);
      if (end > begin) Add(chars, begin, end, spans);
      break;
    }
    for (std::u32string_view word : kEnglishIntroductions) {
      if (!chars.StartsWithFolded(k, word)) continue;
      size_t at = k + word.size();
      if (at < chars.size() && Letter(chars[at])) continue;  // a longer word
      // Up to two lower-case words and a comma between (the tenant upstairs, Maria).
      for (int skipped = 0; skipped <= 2; ++skipped) {
        while (at < chars.size() && (chars[at] == U' ' || chars[at] == U',')) ++at;
        if (at >= chars.size() || Upper(chars[at])) break;
        const size_t next = WordEnd(chars, at);
        if (next == at || skipped == 2) break;
        at = next;
      }
      const auto [begin, end] = NameWordsFrom(chars, at);
      if (end > begin) Add(chars, begin, end, spans);
      break;
    }
  }
}

}  // namespace

void FindPersonNames(absl::string_view text, std::vector<PersonalSpan>& spans) {
  const Utf8Text chars(text);
  BeforeTitles(chars, spans);
  AfterIntroductions(chars, spans);
  Nicknames(chars, spans);
  CompoundNames(chars, spans);
  OpeningClauses(chars, spans);
  EnglishNames(chars, spans);
}

}  // namespace complaints::intake
