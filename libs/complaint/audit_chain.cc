#include "libs/complaint/audit_chain.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "complaints/v1/access.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "libs/crypto/sealing.h"

namespace complaints {

std::string ChainHash(absl::string_view previous, const v1::Envelope& event) {
  if (!event.chain().empty() || event.has_auth()) {
    v1::Envelope unchained = event;
    unchained.clear_chain();
    unchained.clear_auth();  // added when published, after the chain
    return ChainHash(previous, unchained);
  }
  // An event being recorded has neither yet: hashed as it is, not copied
  // (the copy of its text was a third of this function in intake).
  std::string bytes(previous);
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    event.SerializeToCodedStream(&coded);
  }
  return Digest(bytes);
}

std::vector<v1::ChainCheck> VerifyChains(const std::vector<v1::Envelope>& events) {
  std::map<v1::Writer, std::vector<const v1::Envelope*>> by_writer;
  for (const v1::Envelope& event : events) by_writer[event.writer()].push_back(&event);
  std::vector<v1::ChainCheck> checks;
  for (auto& [writer, own] : by_writer) {
    std::sort(own.begin(), own.end(), [](const v1::Envelope* a, const v1::Envelope* b) {
      return a->sequence() < b->sequence();
    });
    v1::ChainCheck& check = checks.emplace_back();
    check.set_writer(writer);
    check.set_events(static_cast<int64_t>(own.size()));
    check.set_intact(true);
    std::string chain;
    for (size_t i = 0; i < own.size() && check.intact(); ++i) {
      const v1::Envelope& event = *own[i];
      const int64_t expected = static_cast<int64_t>(i) + 1;
      if (event.sequence() != expected) {
        check.set_intact(false);
        check.set_problem(
            absl::StrCat("sequence ", expected, " is missing (next is ", event.sequence(), ")"));
      } else if (event.chain().empty()) {
        check.set_intact(false);
        check.set_problem(absl::StrCat("sequence ", expected, " carries no chain value"));
      } else if ((chain = ChainHash(chain, event)) != event.chain()) {
        check.set_intact(false);
        check.set_problem(absl::StrCat("sequence ", expected,
                                       " does not match its chain: altered, or a record "
                                       "before it was"));
      }
    }
  }
  return checks;
}

bool IsAuditEntry(const v1::Envelope& event) {
  if (event.has_personal_data_read()) return true;
  v1::Role role;
  return v1::Role_Parse(absl::StrCat("ROLE_", absl::AsciiStrToUpper(event.actor().role())),
                        &role) &&
         role != v1::ROLE_SERVICE && role != v1::ROLE_UNSPECIFIED;
}

}  // namespace complaints
