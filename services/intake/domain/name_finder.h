#pragma once
// People's names in a complaint's free text (text_redaction.h), anyone's:
//  - Chinese: a surname from the common-surname list, with the name it
//    begins, before a title (王先生, 张建国经理, 李阿姨), after words that
//    introduce a person (邻居张伟, 业主陈静, 我叫许文, 楼上的刘建华), as 老王
//    or 小李, or opening a clause and followed by what people do (郭志强在…);
//    compound surnames (欧阳, 诸葛 …) anywhere. Surnames that are also common
//    words (高, 常, 方 …) count only right before a title.
//  - English: capitalised words after a title (Mr Johnson, Mrs. van der
//    Berg, Dr Kim) or after words that introduce a person (my neighbour
//    Sarah Connor, the caretaker Tom Hughes, a man called Peter, my name is
//    Emily Clark).
// Pure; thread-safe; linear in the text.

#include <vector>

#include "absl/strings/string_view.h"
#include "services/intake/domain/text_redaction.h"

namespace complaints::intake {

// Appends a kName span for each name found in `text`.
void FindPersonNames(absl::string_view text, std::vector<PersonalSpan>& spans);

}  // namespace complaints::intake
