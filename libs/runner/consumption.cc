#include "libs/runner/consumption.h"

#include "absl/strings/str_cat.h"
#include "libs/complaint/view.h"
#include "libs/core/ids.h"
#include "libs/core/text.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/topics.h"

namespace complaints {
namespace {

Verdict Dead(v1::DeadLetterKind kind, std::string reason) {
  return {Verdict::kDeadLetter, kind, std::move(reason)};
}

Verdict Park(std::string waiting_for) {
  return {Verdict::kPark, v1::DEAD_LETTER_KIND_UNSPECIFIED, std::move(waiting_for)};
}

bool IsPrintableAscii(absl::string_view text) {
  for (char c : text) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

}  // namespace

v1::Writer WriterOfTopic(absl::string_view topic) {
  if (topic == topics::kIntake) return v1::WRITER_INTAKE;
  if (topic == topics::kDispatch) return v1::WRITER_DISPATCH;
  if (topic == topics::kTracking) return v1::WRITER_TRACKING;
  if (topic == topics::kAnalytics) return v1::WRITER_ANALYTICS;
  return v1::WRITER_UNSPECIFIED;
}

bool DecodeEnvelope(const ConsumedRecord& record, v1::Envelope* event) {
  return event->ParseFromString(record.payload);
}

Verdict CheckEnvelope(const ConsumedRecord& record, bool decoded, const v1::Envelope& event,
                      int partitions, const RecordAuthority& authority) {
  if (!decoded) {
    return Dead(v1::DEAD_LETTER_KIND_UNDECODABLE,
                absl::StrCat("not an Envelope (", record.payload.size(), " bytes)"));
  }
  if (absl::Status authentic = authority.Verify(record); !authentic.ok()) {
    return Dead(v1::DEAD_LETTER_KIND_FORGED, std::string(authentic.message()));
  }
  const std::string& id = event.complaint_id();
  if (id.empty() || id.size() > kMaxComplaintIdBytes || !IsPrintableAscii(id)) {
    return Dead(v1::DEAD_LETTER_KIND_FAILED_CHECK,
                absl::StrCat("complaint id \"", EscapedPrefix(id), "\" is not a complaint id"));
  }
  if (record.key != id) {
    return Dead(v1::DEAD_LETTER_KIND_FAILED_CHECK, absl::StrCat("key \"", EscapedPrefix(record.key),
                                                                "\" is not the complaint id ", id));
  }
  if (const int32_t home = PartitionOf(id, partitions); record.partition != home) {
    return Dead(v1::DEAD_LETTER_KIND_FAILED_CHECK,
                absl::StrCat("on partition ", record.partition, "; complaint ", id,
                             " belongs on partition ", home));
  }
  const v1::Writer owner = WriterOfTopic(record.topic);
  if (event.writer() != owner) {
    return Dead(v1::DEAD_LETTER_KIND_FAILED_CHECK,
                absl::StrCat("writer ", v1::Writer_Name(event.writer()), " does not write ",
                             EscapedPrefix(record.topic)));
  }
  if (event.sequence() < 1) {
    return Dead(v1::DEAD_LETTER_KIND_FAILED_CHECK,
                absl::StrCat("sequence ", event.sequence(), " is not positive"));
  }
  if (event.event_id() != EventId(id, event.writer(), event.sequence())) {
    return Dead(v1::DEAD_LETTER_KIND_FAILED_CHECK,
                absl::StrCat("event id \"", EscapedPrefix(event.event_id()),
                             "\" is not the one its complaint, writer and sequence give"));
  }
  if (event.payload_case() == v1::Envelope::PAYLOAD_NOT_SET) {
    if (event.GetReflection()->GetUnknownFields(event).empty()) {
      return Dead(v1::DEAD_LETTER_KIND_FAILED_CHECK, "the envelope carries no payload");
    }
    return Dead(v1::DEAD_LETTER_KIND_UNKNOWN_PAYLOAD,
                "a payload this reader does not know (written by a newer release?); "
                "re-drive it after upgrading");
  }
  // Analytics writes incidents and nothing else, and nobody else writes them.
  const bool incident = event.has_incident_detected() || event.has_incident_grown();
  if (incident != (event.writer() == v1::WRITER_ANALYTICS)) {
    return Dead(v1::DEAD_LETTER_KIND_FAILED_CHECK,
                absl::StrCat(v1::Writer_Name(event.writer()), " does not write ",
                             event.GetDescriptor()
                                 ->FindFieldByNumber(static_cast<int>(event.payload_case()))
                                 ->name()));
  }
  if (event.writer() == v1::WRITER_INTAKE && event.sequence() == 1 && !event.has_received()) {
    return Dead(v1::DEAD_LETTER_KIND_FAILED_CHECK,
                "intake's first event of a complaint must be ComplaintReceived");
  }
  return {};
}

Verdict CheckOrder(const v1::Envelope& event, const v1::ComplaintView& view, v1::Writer self) {
  const int64_t applied = AppliedSequence(view, event.writer());
  if (event.sequence() <= applied) return {Verdict::kSkip, v1::DEAD_LETTER_KIND_UNSPECIFIED, ""};
  if (event.sequence() > applied + 1) {
    return Park(absl::StrCat(WriterName(event.writer()), " sequence ", applied + 1));
  }
  if (event.writer() != v1::WRITER_INTAKE && event.writer() != self && !view.intake().received()) {
    return Park("the complaint's receipt");
  }
  return {};
}

}  // namespace complaints
