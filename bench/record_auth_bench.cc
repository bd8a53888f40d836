// What authenticating a record costs (docs/architecture.md invariant 8): signing when a
// writer stages it, verifying when a consumer reads it. The budget is 5 µs
// per record verified (issue 23); an Ed25519 signature would take 50–75 µs.
#include "benchmark/benchmark.h"
#include "libs/runner/record_auth.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"

namespace complaints {
namespace {

// A typical event: a classified complaint with its explanation (~600 bytes).
std::string TypicalEvent() {
  v1::Envelope event;
  event.set_event_id("C20261204-8D2E5B0C1A7F4E93/intake/2");
  event.set_complaint_id("C20261204-8D2E5B0C1A7F4E93");
  event.set_writer(v1::WRITER_INTAKE);
  event.set_sequence(2);
  event.mutable_actor()->set_id("call-centre");
  event.mutable_actor()->set_role("integration");
  event.set_causation_id("submit:call-centre:crm-4711");
  event.set_chain(std::string(32, 'c'));
  v1::ComplaintClassified& classified = *event.mutable_classified();
  classified.set_category("plumbing");
  classified.set_priority(v1::PRIORITY_P2);
  classified.set_explanation(std::string(400, 'e'));
  return event.SerializeAsString();
}

void BM_SignRecord(benchmark::State& state) {
  const auto authority = testing::TestAuthority(v1::WRITER_INTAKE);
  const std::string body = TypicalEvent();
  for (auto _ : state) {
    benchmark::DoNotOptimize(authority->Sign(topics::kIntake, "C20261204-8D2E5B0C1A7F4E93", body));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_SignRecord);

void BM_VerifyRecord(benchmark::State& state) {
  const ConsumedRecord record{
      std::string(topics::kIntake), 0, 1, "C20261204-8D2E5B0C1A7F4E93",
      testing::TestAuthority(v1::WRITER_INTAKE)
          ->Sign(topics::kIntake, "C20261204-8D2E5B0C1A7F4E93", TypicalEvent())};
  const auto reader = testing::TestAuthority(v1::WRITER_TRACKING);
  for (auto _ : state) {
    if (!reader->Verify(record).ok()) state.SkipWithError("did not verify");
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(record.payload.size()));
}
BENCHMARK(BM_VerifyRecord);

}  // namespace
}  // namespace complaints
