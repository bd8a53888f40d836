// Envelope decoding and the consumption checks: any record bytes, on any
// topic, against a view that has or has not seen the complaint, get a verdict
// without crashing; a dead letter always says why, and nothing is applied
// whose key, writer or event id does not match.
#include <cstdint>
#include <cstdlib>

#include "fuzz/require.h"
#include "libs/complaint/view.h"
#include "libs/core/ids.h"
#include "libs/runner/consumption.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/topics.h"

namespace {

using complaints::fuzz::Require;

constexpr int kPartitions = 6;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace complaints;
  if (size < 1) return 0;
  const absl::string_view topic = topics::kAll[data[0] % 3];
  complaints::ConsumedRecord record{std::string(topic), 0, 0, "",
                                    std::string(reinterpret_cast<const char*>(data + 1), size - 1)};
  v1::Envelope event;
  const bool decoded = DecodeEnvelope(record, &event);
  // A well-keyed record on its own partition reaches the later checks.
  record.key = event.complaint_id();
  record.partition = PartitionOf(record.key, kPartitions);
  Verdict verdict = CheckEnvelope(record, decoded, event, kPartitions);
  if (verdict.action == Verdict::kDeadLetter) {
    Require(!verdict.reason.empty() && verdict.kind != v1::DEAD_LETTER_KIND_UNSPECIFIED);
    return 0;
  }
  Require(verdict.action == Verdict::kApply);
  Require(event.writer() == WriterOfTopic(topic));
  Require(event.event_id() == EventId(event.complaint_id(), event.writer(), event.sequence()));
  v1::ComplaintView view;
  for (int round = 0; round < 2; ++round) {
    verdict = CheckOrder(event, view);
    if (verdict.action == Verdict::kApply) view = Evolve(std::move(view), event);
    if (verdict.action == Verdict::kPark) Require(!verdict.reason.empty());
  }
  Require(AppliedSequence(view, event.writer()) <= event.sequence());
  return 0;
}
