// §3.2 a view's scheduled timers read alike whether packed (as stored now) or
// as messages (as an earlier release stored them, and as clients read them).
#include "libs/complaint/scheduled_timers.h"

#include <random>

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "libs/core/time_util.h"

namespace complaints {
namespace {

using google::protobuf::util::MessageDifferencer;

v1::ScheduledTimer Timer(const std::string& id, int64_t seconds, int32_t nanos = 0) {
  v1::ScheduledTimer timer;
  timer.set_timer_id(id);
  timer.mutable_fire_at()->set_seconds(seconds);
  timer.mutable_fire_at()->set_nanos(nanos);
  return timer;
}

google::protobuf::RepeatedPtrField<v1::ScheduledTimer> Plan(
    std::initializer_list<v1::ScheduledTimer> timers) {
  return {timers.begin(), timers.end()};
}

std::vector<std::string> IdsOf(const v1::SlaState& sla) {
  std::vector<std::string> ids;
  for (const v1::ScheduledTimer& timer : ScheduledOf(sla)) ids.push_back(timer.timer_id());
  return ids;
}

TEST(ScheduledTimers, PackedAreReadBackAsScheduledInPlanOrder) {
  v1::SlaState sla;
  SetScheduled(
      sla, Plan({Timer("SLA_TARGET_RESPOND/warning@p.v1/100", 100, 5),
                 Timer("SLA_TARGET_RESOLVE/breach@p.v1/200", 200), Timer("", -62'135'596'800)}));
  EXPECT_EQ(sla.scheduled_size(), 0);
  EXPECT_FALSE(sla.scheduled_timers().empty());
  std::vector<ScheduledRef> seen;
  ForEachScheduled(sla, [&](const ScheduledRef& timer) {
    seen.push_back(timer);
    return true;
  });
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].timer_id, "SLA_TARGET_RESPOND/warning@p.v1/100");
  EXPECT_EQ(seen[0].fire_at, absl::FromUnixSeconds(100) + absl::Nanoseconds(5));
  EXPECT_EQ(seen[1].fire_at, absl::FromUnixSeconds(200));
  EXPECT_EQ(seen[2].timer_id, "");
  EXPECT_EQ(seen[2].fire_at, absl::FromUnixSeconds(-62'135'596'800));

  // A visit stops when told to.
  int visited = 0;
  ForEachScheduled(sla, [&](const ScheduledRef&) { return ++visited < 2; });
  EXPECT_EQ(visited, 2);

  // A new plan replaces the old one; none clears it.
  SetScheduled(sla, Plan({Timer("b", 2)}));
  EXPECT_EQ(IdsOf(sla), std::vector<std::string>{"b"});
  SetScheduled(sla, Plan({}));
  EXPECT_TRUE(IdsOf(sla).empty());
  EXPECT_TRUE(sla.scheduled_timers().empty());
}

TEST(ScheduledTimers, AnEarlierReleasesTimersComeFirstAndArePackedWithTheNewOnes) {
  v1::SlaState sla;
  *sla.add_scheduled() = Timer("old-1", 1);
  *sla.add_scheduled() = Timer("old-2", 2);
  EXPECT_EQ(IdsOf(sla), (std::vector<std::string>{"old-1", "old-2"}));
  AddScheduled(sla, Plan({Timer("new-3", 3)}));
  EXPECT_EQ(sla.scheduled_size(), 0);
  EXPECT_EQ(IdsOf(sla), (std::vector<std::string>{"old-1", "old-2", "new-3"}));
  AddScheduled(sla, Plan({Timer("new-4", 4)}));
  EXPECT_EQ(IdsOf(sla), (std::vector<std::string>{"old-1", "old-2", "new-3", "new-4"}));
  ClearScheduled(sla);
  EXPECT_TRUE(IdsOf(sla).empty());
}

TEST(ScheduledTimers, PackedAsProtobufSerializesThePlan) {
  std::mt19937 random(43);
  for (int round = 0; round < 200; ++round) {
    // Ids of every length class: one, two and three bytes of varint length.
    google::protobuf::RepeatedPtrField<v1::ScheduledTimer> plan;
    const int timers = std::uniform_int_distribution<int>(1, 20)(random);
    for (int i = 0; i < timers; ++i) {
      const size_t length = std::uniform_int_distribution<size_t>(0, 3)(random) == 0
                                ? std::uniform_int_distribution<size_t>(0, 20'000)(random)
                                : std::uniform_int_distribution<size_t>(0, 60)(random);
      *plan.Add() = Timer(std::string(length, 'x'),
                          std::uniform_int_distribution<int64_t>(-1'000, 4'000'000'000)(random),
                          std::uniform_int_distribution<int32_t>(0, 999'999'999)(random));
    }
    v1::SlaState sla;
    AddScheduled(sla, plan);
    v1::ScheduledTimers expected;
    *expected.mutable_timers() = plan;
    ASSERT_EQ(sla.scheduled_timers(), expected.SerializeAsString()) << round;
  }
}

TEST(ScheduledTimers, ClientsReadTheViewUnpacked) {
  v1::ComplaintView view;
  SetScheduled(*view.mutable_tracking()->mutable_sla(), Plan({Timer("a", 1), Timer("b", 2)}));
  UnpackScheduled(view);
  const v1::SlaState& sla = view.tracking().sla();
  EXPECT_TRUE(sla.scheduled_timers().empty());
  ASSERT_EQ(sla.scheduled_size(), 2);
  EXPECT_TRUE(MessageDifferencer::Equals(sla.scheduled(1), Timer("b", 2)));

  v1::ComplaintView intake_only;
  intake_only.mutable_intake()->set_received(true);
  UnpackScheduled(intake_only);
  EXPECT_FALSE(intake_only.has_tracking());
}

// The in-place reader against protobuf's own parser, on random plans and on
// every truncation of one: the same timers, or a prefix of them, never more.
TEST(ScheduledTimers, ReadsWhatProtobufParsesAndNothingOfBrokenBytes) {
  std::mt19937_64 random(7);
  for (int round = 0; round < 200; ++round) {
    v1::ScheduledTimers plan;
    const int count = static_cast<int>(random() % 20);
    for (int i = 0; i < count; ++i) {
      std::string id(random() % 90, 'x');
      for (char& c : id) c = static_cast<char>(32 + random() % 95);
      *plan.add_timers() = Timer(id, static_cast<int64_t>(random() % 4'000'000'000) - 1'000'000'000,
                                 static_cast<int32_t>(random() % 1'000'000'000));
    }
    v1::SlaState sla;
    sla.set_scheduled_timers(plan.SerializeAsString());
    const std::vector<v1::ScheduledTimer> read = ScheduledOf(sla);
    ASSERT_EQ(read.size(), static_cast<size_t>(count)) << "round " << round;
    for (int i = 0; i < count; ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals(read[static_cast<size_t>(i)], plan.timers(i)))
          << "round " << round << " timer " << i;
    }
  }
  v1::ScheduledTimers plan;
  for (int i = 0; i < 4; ++i) *plan.add_timers() = Timer("SLA_TARGET_RESOLVE/breach@p.v1/9", i);
  const std::string bytes = plan.SerializeAsString();
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    v1::SlaState sla;
    sla.set_scheduled_timers(bytes.substr(0, cut));
    const std::vector<v1::ScheduledTimer> read = ScheduledOf(sla);
    ASSERT_LT(read.size(), 4u) << "cut at " << cut;
    for (size_t i = 0; i < read.size(); ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals(read[i], plan.timers(static_cast<int>(i))))
          << "cut " << cut << ": " << read[i].DebugString() << " vs "
          << plan.timers(static_cast<int>(i)).DebugString();
    }
  }
}

// Fields a later release may add, in the timers or beside them, are stepped
// over.
TEST(ScheduledTimers, FieldsItDoesNotKnowAreSteppedOver) {
  std::string timer = Timer("a", 7, 9).SerializeAsString();
  timer += std::string("\x18\x05", 2);                       // field 3, varint
  timer += std::string("\x21", 1) + std::string(8, '\x01');  // field 4, fixed64
  timer += std::string("\x2d", 1) + std::string(4, '\x02');  // field 5, fixed32
  timer += std::string("\x32\x02hi", 4);                     // field 6, bytes
  // As field 1 of ScheduledTimers (each shorter than 128 bytes: a one-byte length).
  auto entry = [](const std::string& bytes) {
    return std::string("\x0a", 1) + static_cast<char>(bytes.size()) + bytes;
  };
  std::string packed = std::string("\x10\x01", 2);  // field 2 beside the timers
  packed += entry(timer) + entry(Timer("b", 8).SerializeAsString());
  v1::SlaState sla;
  sla.set_scheduled_timers(packed);
  const std::vector<v1::ScheduledTimer> read = ScheduledOf(sla);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_TRUE(MessageDifferencer::Equals(read[0], Timer("a", 7, 9))) << read[0].DebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(read[1], Timer("b", 8))) << read[1].DebugString();
}

}  // namespace
}  // namespace complaints
