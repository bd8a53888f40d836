// The outbox's ordering contract, on real RocksDB.
#include "libs/runner/outbox.h"

#include "gtest/gtest.h"
#include "libs/runner/test_records.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

using complaints::testing::TempDir;

TEST(Outbox, SafeLimitStopsAtTheOldestUnsettledBatch) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
  Batch first, second;
  Outbox::Ticket a = outbox->Stage(first, {{"t", "C1", "e1"}, {"t", "C1", "e2"}});
  Outbox::Ticket b = outbox->Stage(second, {{"t", "C2", "e3"}});
  EXPECT_EQ(outbox->SafeLimit(), a.first);
  // The later batch commits first: the relay must still not read past the earlier one.
  ASSERT_TRUE(store->Write(second, Durability::kBuffered).ok());
  outbox->Settle(b, true);
  EXPECT_EQ(outbox->SafeLimit(), a.first);
  ASSERT_TRUE(store->Write(first, Durability::kBuffered).ok());
  outbox->Settle(a, true);
  EXPECT_EQ(outbox->SafeLimit(), b.first + 1);
}

TEST(Outbox, ABufferedBatchIsNotPublishableUntilSynced) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
  Batch batch;
  Outbox::Ticket ticket = outbox->Stage(batch, {{"t", "C1", "e1"}});
  ASSERT_TRUE(store->Write(batch, Durability::kBuffered).ok());
  outbox->Settle(ticket, true, Durability::kBuffered);
  EXPECT_EQ(outbox->SafeLimit(), ticket.first) << "a machine crash could still take it back";
  EXPECT_EQ(outbox->depth(), 1u);
  ASSERT_TRUE(outbox->SyncPending().ok());
  EXPECT_EQ(outbox->SafeLimit(), ticket.first + 1);
}

TEST(Outbox, SequencesResumeAfterReopen) {
  TempDir dir;
  uint64_t last = 0;
  {
    auto store = *Store::Open(dir.Sub("db"));
    auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
    Batch batch;
    Outbox::Ticket ticket = outbox->Stage(batch, {{"t", "C1", "e1"}, {"t", "C1", "e2"}});
    ASSERT_TRUE(store->Write(batch, Durability::kSynced).ok());
    outbox->Settle(ticket, true);
    last = ticket.first + 1;
  }
  auto store = *Store::Open(dir.Sub("db"));
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
  Batch batch;
  EXPECT_EQ(outbox->Stage(batch, {{"t", "C1", "e3"}}).first, last + 1);
}

TEST(Outbox, ValueRoundTripsAndRejectsGarbage) {
  OutboxRecord record{"complaints.intake.v1", "C1", std::string("bin\0ary\npayload", 15)};
  auto decoded = Outbox::DecodeValue(Outbox::EncodeValue(record));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->topic, record.topic);
  EXPECT_EQ(decoded->key, record.key);
  EXPECT_EQ(decoded->payload, record.payload);
  EXPECT_EQ(Outbox::DecodeValue("no separators").status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace complaints
