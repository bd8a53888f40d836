// Checking ahead decides what checking in turn decides, for every record,
// in order, whether the batch is checked on the worker or inline.
#include "libs/runner/check_ahead.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/store/store.h"
#include "libs/testing/events.h"

namespace complaints {
namespace {

using namespace complaints::testing;

constexpr int kPartitions = Store::kDefaultPartitions;

// Sound records with a forged, an undecodable and a misplaced one in every seven.
std::vector<ConsumedRecord> MixedBatch(size_t size) {
  std::vector<ConsumedRecord> records;
  for (size_t i = 0; i < size; ++i) {
    const std::string id = absl::StrCat("C", i);
    ConsumedRecord record = ConsumedOf(topics::kIntake, Received(id), static_cast<int64_t>(i));
    if (i % 7 == 1) record.payload = Received(id).SerializeAsString();  // unsigned
    if (i % 7 == 3) record.payload = absl::StrCat("\xff\xff not an envelope ", i);
    if (i % 7 == 5) record.partition = (record.partition + 1) % kPartitions;
    if (i % 11 == 0) record.payload.append(std::string(300 << 10, 'x'));  // big: a chunk of its own
    records.push_back(std::move(record));
  }
  return records;
}

// What checking each record in turn decides.
struct Expected {
  Verdict::Action action;
  v1::DeadLetterKind kind;
  std::string event_id;
};
std::vector<Expected> InTurn(const std::vector<ConsumedRecord>& records,
                             const RecordAuthority& authority) {
  std::vector<Expected> expected;
  for (const ConsumedRecord& record : records) {
    v1::Envelope event;
    const bool decoded = DecodeEnvelope(record, &event);
    const Verdict verdict = CheckEnvelope(record, decoded, event, kPartitions, authority);
    expected.push_back({verdict.action, verdict.kind, event.event_id()});
  }
  return expected;
}

// `passed_by` as ForEach takes it: the flagged records must not be seen.
void ExpectSameAsInTurn(CheckAhead& ahead, const std::vector<ConsumedRecord>& records,
                        const RecordAuthority& authority, const std::vector<bool>& passed_by = {}) {
  const std::vector<Expected> expected = InTurn(records, authority);
  size_t seen = 0;
  size_t calls = 0;
  const auto next_unpassed = [&] {
    while (seen < records.size() && !passed_by.empty() && passed_by[seen]) ++seen;
  };
  next_unpassed();
  const absl::Status status = ahead.ForEach(records, passed_by, [&](const CheckedRecord& checked) {
    ++calls;
    EXPECT_EQ(checked.record, &records[seen]) << "record " << seen;
    // Now and then the applier is slow, so the worker runs as far ahead as it may.
    if (seen % 290 == 40) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(checked.verdict.action, expected[seen].action) << "record " << seen;
    EXPECT_EQ(checked.verdict.kind, expected[seen].kind) << "record " << seen;
    EXPECT_EQ(checked.event->event_id(), expected[seen].event_id) << "record " << seen;
    ++seen;
    next_unpassed();
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(seen, records.size());
  EXPECT_EQ(calls, records.size() -
                       static_cast<size_t>(std::count(passed_by.begin(), passed_by.end(), true)));
}

TEST(CheckAhead, ALargeBatchIsCheckedAsInTurn) {
  const auto authority = TestAuthority(v1::WRITER_UNSPECIFIED);
  CheckAhead ahead(kPartitions, authority.get());
  const std::vector<ConsumedRecord> records = MixedBatch(2000);
  ExpectSameAsInTurn(ahead, records, *authority);
  // The same worker takes the next batch.
  ExpectSameAsInTurn(ahead, MixedBatch(kCheckAheadFrom + 1), *authority);
}

TEST(CheckAhead, ASmallBatchIsCheckedAsInTurn) {
  const auto authority = TestAuthority(v1::WRITER_UNSPECIFIED);
  CheckAhead ahead(kPartitions, authority.get());
  ExpectSameAsInTurn(ahead, MixedBatch(kCheckAheadFrom), *authority);
  ExpectSameAsInTurn(ahead, MixedBatch(1), *authority);
  ExpectSameAsInTurn(ahead, {}, *authority);
}

TEST(CheckAhead, RecordsPassedByAreNeitherCheckedNorApplied) {
  const auto authority = TestAuthority(v1::WRITER_UNSPECIFIED);
  CheckAhead ahead(kPartitions, authority.get());
  for (const size_t size : {size_t{2000}, size_t{100}}) {  // checked ahead, and in turn
    const std::vector<ConsumedRecord> records = MixedBatch(size);
    std::vector<bool> passed_by(records.size());
    for (size_t i = 0; i < passed_by.size(); ++i) passed_by[i] = i % 3 == 1 || i < 40;
    ExpectSameAsInTurn(ahead, records, *authority, passed_by);
    // All passed by: nothing is applied.
    ExpectSameAsInTurn(ahead, records, *authority, std::vector<bool>(records.size(), true));
  }
}

TEST(CheckAhead, AnErrorStopsTheBatchAndTheNextOneRunsWhole) {
  const auto authority = TestAuthority(v1::WRITER_UNSPECIFIED);
  CheckAhead ahead(kPartitions, authority.get());
  for (const size_t size : {size_t{1500}, size_t{100}}) {
    const std::vector<ConsumedRecord> records = MixedBatch(size);
    size_t calls = 0;
    const absl::Status status = ahead.ForEach(records, {}, [&](const CheckedRecord&) {
      ++calls;
      return calls == 70 ? absl::UnavailableError("store down") : absl::OkStatus();
    });
    EXPECT_EQ(status, absl::UnavailableError("store down"));
    EXPECT_EQ(calls, 70u) << size;
    ExpectSameAsInTurn(ahead, MixedBatch(size + 7), *authority);
  }
}

TEST(CheckAhead, OneRecordChecksAlone) {
  const auto authority = TestAuthority(v1::WRITER_UNSPECIFIED);
  const std::vector<ConsumedRecord> records = MixedBatch(7);
  const std::vector<Expected> expected = InTurn(records, *authority);
  google::protobuf::Arena arena;
  for (size_t i = 0; i < records.size(); ++i) {
    const CheckedRecord checked = CheckAhead::CheckOne(records[i], kPartitions, *authority, &arena);
    EXPECT_EQ(checked.verdict.action, expected[i].action) << i;
    EXPECT_EQ(checked.verdict.kind, expected[i].kind) << i;
    EXPECT_EQ(checked.event->event_id(), expected[i].event_id) << i;
  }
}

}  // namespace
}  // namespace complaints
