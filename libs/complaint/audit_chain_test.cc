#include "libs/complaint/audit_chain.h"

#include "gtest/gtest.h"

namespace complaints {
namespace {

// `count` events of one writer, chained as the runner records them.
std::vector<v1::Envelope> Chained(v1::Writer writer, int count) {
  std::vector<v1::Envelope> events(count);
  std::string chain;
  for (int i = 0; i < count; ++i) {
    events[i].set_complaint_id("C1");
    events[i].set_writer(writer);
    events[i].set_sequence(i + 1);
    events[i].mutable_actor()->set_id("li");
    events[i].mutable_actor()->set_role("clerk");
    events[i].mutable_note_added()->set_text("note " + std::to_string(i));
    chain = ChainHash(chain, events[i]);
    events[i].set_chain(chain);
  }
  return events;
}

// The chain covers the event without its own chain value and without the
// authentication added when it is published: the hash as recorded (neither
// set) is the hash as read back (both set).
TEST(AuditChain, TheHashLeavesOutTheChainAndTheAuthentication) {
  const std::vector<v1::Envelope> events = Chained(v1::WRITER_DISPATCH, 2);
  v1::Envelope bare = events[1];
  bare.clear_chain();
  v1::Envelope published = events[1];
  published.mutable_auth()->set_key_id("dispatch-1");
  published.mutable_auth()->set_mac(std::string(32, 'm'));
  EXPECT_EQ(ChainHash(events[0].chain(), bare), events[1].chain());
  EXPECT_EQ(ChainHash(events[0].chain(), published), events[1].chain());
  bare.mutable_note_added()->set_text("note 1, edited");
  EXPECT_NE(ChainHash(events[0].chain(), bare), events[1].chain());
}

TEST(AuditChain, AnUntouchedRecordIsIntactForEveryWriter) {
  std::vector<v1::Envelope> events = Chained(v1::WRITER_TRACKING, 4);
  for (const v1::Envelope& e : Chained(v1::WRITER_INTAKE, 2)) events.push_back(e);
  const std::vector<v1::ChainCheck> checks = VerifyChains(events);
  ASSERT_EQ(checks.size(), 2u);
  for (const v1::ChainCheck& check : checks) EXPECT_TRUE(check.intact()) << check.problem();
}

TEST(AuditChain, AnEditShowsAtTheEditedEvent) {
  std::vector<v1::Envelope> events = Chained(v1::WRITER_TRACKING, 4);
  events[2].mutable_note_added()->set_text("rewritten afterwards");
  const v1::ChainCheck check = VerifyChains(events)[0];
  EXPECT_FALSE(check.intact());
  EXPECT_EQ(check.problem().rfind("sequence 3 does not match", 0), 0u) << check.problem();
  // Re-chaining the edit itself does not help: the next event breaks.
  events = Chained(v1::WRITER_TRACKING, 4);
  events[1].mutable_actor()->set_id("someone-else");
  events[1].set_chain(ChainHash(events[0].chain(), events[1]));
  EXPECT_EQ(VerifyChains(events)[0].problem().rfind("sequence 3 does not match", 0), 0u);
}

TEST(AuditChain, AGapOrAMissingChainShows) {
  std::vector<v1::Envelope> events = Chained(v1::WRITER_DISPATCH, 4);
  events.erase(events.begin() + 1);
  EXPECT_EQ(VerifyChains(events)[0].problem(), "sequence 2 is missing (next is 3)");
  events = Chained(v1::WRITER_DISPATCH, 2);
  events[0].clear_chain();
  EXPECT_FALSE(VerifyChains(events)[0].intact());
}

TEST(AuditChain, EntriesAreCommandsOfPeopleAndSystemsAndPersonalDataReads) {
  v1::Envelope event;
  event.mutable_actor()->set_role("handler");
  EXPECT_TRUE(IsAuditEntry(event));
  event.mutable_actor()->set_role("integration");
  EXPECT_TRUE(IsAuditEntry(event));
  event.mutable_actor()->set_role("policy");  // a service acting on its own
  EXPECT_FALSE(IsAuditEntry(event));
  event.mutable_actor()->set_role("service");
  EXPECT_FALSE(IsAuditEntry(event));
  event.mutable_personal_data_read()->set_reason("call back");
  EXPECT_TRUE(IsAuditEntry(event));
}

}  // namespace
}  // namespace complaints
