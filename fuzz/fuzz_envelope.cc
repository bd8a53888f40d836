// Envelope decoding and the consumption checks: any record bytes, on any
// topic, against a view that has or has not seen the complaint, get a verdict
// without crashing; a dead letter always says why, and nothing is applied
// whose authentication, key, writer or event id does not match. The first
// byte picks the topic and whether the bytes arrive signed by the topic's
// writer (so the checks after authentication are reached) or as they are.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>

#include "fuzz/require.h"
#include "libs/complaint/view.h"
#include "libs/core/ids.h"
#include "libs/runner/consumption.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/record_auth.h"
#include "libs/runner/topics.h"

namespace {

using complaints::fuzz::Require;

constexpr int kPartitions = 6;

// Fixed keys for the four writers.
complaints::WriterKeyring Keys() {
  using namespace complaints;
  WriterKeyring ring;
  char seed = 1;
  for (v1::Writer writer :
       {v1::WRITER_INTAKE, v1::WRITER_DISPATCH, v1::WRITER_TRACKING, v1::WRITER_ANALYTICS}) {
    ring.keys[writer].push_back(
        {"fuzz-" + WriterFileName(writer), *SecretKey::FromBytes(std::string(kKeyBytes, seed++))});
  }
  return ring;
}

// `self`'s authority over those keys (WRITER_UNSPECIFIED: a reader), made once.
const complaints::RecordAuthority& Authority(complaints::v1::Writer self) {
  static auto* made =
      new std::map<complaints::v1::Writer, std::shared_ptr<const complaints::RecordAuthority>>();
  auto& authority = (*made)[self];
  if (authority == nullptr) authority = *complaints::RecordAuthority::Create(self, Keys());
  return *authority;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace complaints;
  if (size < 1) return 0;
  const absl::string_view topic = topics::kAll[data[0] % 3];
  const bool signed_by_writer = (data[0] & 0x80) != 0;
  const std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  complaints::ConsumedRecord record{std::string(topic), 0, 0, "", bytes};
  v1::Envelope event;
  bool decoded = DecodeEnvelope(record, &event);
  // A well-keyed record on its own partition reaches the later checks.
  record.key = event.complaint_id();
  record.partition = PartitionOf(record.key, kPartitions);
  if (signed_by_writer && decoded) {
    record.payload = Authority(WriterOfTopic(topic)).Sign(topic, record.key, bytes);
    decoded = DecodeEnvelope(record, &event);
  }
  Verdict verdict =
      CheckEnvelope(record, decoded, event, kPartitions, Authority(v1::WRITER_UNSPECIFIED));
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
