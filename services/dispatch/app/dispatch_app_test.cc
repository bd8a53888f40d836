// The dispatch shell on real RocksDB: consumed events in, assignments and offsets out, once.
#include "services/dispatch/app/dispatch_app.h"

#include "gtest/gtest.h"
#include "libs/eventlog/topics.h"
#include "libs/testing/events.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"
#include "services/dispatch/domain/test_routing.h"

namespace complaints::dispatch {
namespace {

using namespace complaints::testing;

ConsumedRecord Record(const v1::Envelope& event, int64_t offset) {
  return {std::string(topics::kIntake), 0, offset, event.complaint_id(), event.SerializeAsString()};
}

std::vector<v1::Envelope> Outboxed(Store* store) {
  std::vector<v1::Envelope> events;
  (void)store->Scan(Family::kOutbox, "", "", 1000, [&](absl::string_view, absl::string_view value) {
    v1::Envelope event;
    event.ParseFromString(Outbox::DecodeValue(value)->payload);
    events.push_back(event);
    return true;
  });
  return events;
}

TEST(DispatchApp, ClassifiedEventLeadsToOneAssignmentEvenWhenRedelivered) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  auto outbox = *Outbox::Open(store.get());
  Router router = *Router::Create(TestRouting());
  FakeClock clock(absl::FromUnixSeconds(1'795'000'000));
  DispatchApp app({store.get(), outbox.get(), &clock, &router});
  const std::vector<ConsumedRecord> batch = {
      Record(Received("C1"), 10), Record(Classified("C1", "safety", v1::PRIORITY_P1), 11)};

  ASSERT_TRUE(app.Apply(batch).ok());
  ASSERT_TRUE(app.Apply(batch).ok()) << "a redelivered batch";

  std::vector<v1::Envelope> out = Outboxed(store.get());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].event_id(), "C1/dispatch/1");
  EXPECT_EQ(out[0].assigned().department(), "security");
  EXPECT_EQ(out[0].causation_id(), "C1/intake/2");
  EXPECT_EQ(out[0].actor().id(), "dispatch");
  EXPECT_EQ(*store->Get(Family::kOffsets, std::string(topics::kIntake) + "/0"),
            std::optional<std::string>("12"));
}

TEST(DispatchApp, UnreadableRecordIsSkippedButItsOffsetIsKept) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  auto outbox = *Outbox::Open(store.get());
  Router router = *Router::Create(TestRouting());
  FakeClock clock(absl::FromUnixSeconds(1'795'000'000));
  DispatchApp app({store.get(), outbox.get(), &clock, &router});
  ASSERT_TRUE(app.Apply({{std::string(topics::kIntake), 2, 5, "C9", "\xff\xff garbage"}}).ok());
  EXPECT_TRUE(Outboxed(store.get()).empty());
  EXPECT_EQ(*store->Get(Family::kOffsets, std::string(topics::kIntake) + "/2"),
            std::optional<std::string>("6"));
}

}  // namespace
}  // namespace complaints::dispatch
