#pragma once
// Strict consumption (docs/architecture.md invariant 6): what a consumer does with one
// record, decided from the record and the complaint's view alone. Pure.
//
//  - A record not authenticated by its topic's writer (record_auth.h) is a
//    dead letter of kind FORGED.
//  - A record that is not an Envelope, whose key is not its complaint id, that
//    is on another partition than its key gives (libs/runner/partitioning.h),
//    whose writer does not write its topic, whose event id is not the one its
//    writer, complaint and sequence give, or that carries no payload, is a
//    dead letter. So is a payload this reader does not know (a newer writer's):
//    it is kept to be re-driven after an upgrade, never applied as empty.
//  - A sequence at or below what the view applied for that writer is a re-sent
//    older event: skipped, nothing newer is dropped.
//  - A sequence past the next one waits (is parked) for the missing one; an
//    event of another writer than intake and the reader itself waits for the
//    complaint's receipt (the reader's own events, read back from its own
//    topic, only restore its sub-state and need nothing first).
//  - Otherwise it is applied.

#include <string>

#include "absl/strings/string_view.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/records.pb.h"
#include "complaints/v1/state.pb.h"
#include "libs/runner/record_auth.h"
#include "libs/runner/records.h"

namespace complaints {

inline constexpr size_t kMaxComplaintIdBytes = 64;

struct Verdict {
  enum Action { kApply, kSkip, kPark, kDeadLetter };
  Action action = kApply;
  v1::DeadLetterKind kind = v1::DEAD_LETTER_KIND_UNSPECIFIED;  // for kDeadLetter
  std::string reason;  // for kPark (what it waits for) and kDeadLetter
};

// The writer that owns `topic`; WRITER_UNSPECIFIED for a topic no writer owns.
v1::Writer WriterOfTopic(absl::string_view topic);

// Decodes the record's payload; false when it is not an Envelope.
bool DecodeEnvelope(const ConsumedRecord& record, v1::Envelope* event);

// The checks that need no view, for topics of `partitions` partitions: a
// record `authority` does not find written by its topic's writer is FORGED.
// `decoded` is false when DecodeEnvelope failed.
Verdict CheckEnvelope(const ConsumedRecord& record, bool decoded, const v1::Envelope& event,
                      int partitions, const RecordAuthority& authority);

// The order checks against the complaint's current view, for a reader that
// writes as `self` (WRITER_UNSPECIFIED for one that writes no events).
// REQUIRES: CheckEnvelope gave kApply.
Verdict CheckOrder(const v1::Envelope& event, const v1::ComplaintView& view,
                   v1::Writer self = v1::WRITER_UNSPECIFIED);

}  // namespace complaints
