#include "libs/testing/events.h"

#include "absl/time/time.h"
#include "libs/core/ids.h"
#include "libs/core/time_util.h"

namespace complaints::testing {
namespace {

absl::Time Parse(const std::string& rfc3339) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &time, &error)) return absl::UnixEpoch();
  return time;
}

}  // namespace

v1::Envelope EnvelopeOf(const std::string& complaint_id, v1::Writer writer, int64_t sequence) {
  v1::Envelope event;
  event.set_complaint_id(complaint_id);
  event.set_writer(writer);
  event.set_sequence(sequence);
  event.set_event_id(EventId(complaint_id, writer, sequence));
  return event;
}

v1::Envelope Received(const std::string& complaint_id, int64_t sequence,
                      const std::string& occurred_at_rfc3339) {
  v1::Envelope event = EnvelopeOf(complaint_id, v1::WRITER_INTAKE, sequence);
  *event.mutable_occurred_at() = ToProto(Parse(occurred_at_rfc3339));
  *event.mutable_recorded_at() = event.occurred_at();
  v1::ComplaintReceived& received = *event.mutable_received();
  received.set_channel(v1::CHANNEL_PHONE);
  received.set_content("厨房漏水 kitchen water leak");
  received.mutable_location()->set_community("Sunshine Garden");
  received.mutable_location()->set_building("3");
  received.mutable_location()->set_unit("1202");
  return event;
}

v1::Envelope Classified(const std::string& complaint_id, const std::string& category,
                        v1::Priority priority, int64_t sequence) {
  v1::Envelope event = EnvelopeOf(complaint_id, v1::WRITER_INTAKE, sequence);
  event.mutable_classified()->set_category(category);
  event.mutable_classified()->set_priority(priority);
  return event;
}

v1::Envelope CallbackScheduled(const std::string& complaint_id, bool dispatch_first,
                               int64_t sequence) {
  v1::Envelope event = EnvelopeOf(complaint_id, v1::WRITER_INTAKE, sequence);
  event.mutable_callback_scheduled()->mutable_due_at()->set_seconds(1'795'000'000);
  event.mutable_callback_scheduled()->set_dispatch_before_verification(dispatch_first);
  return event;
}

v1::Envelope Assigned(const std::string& complaint_id, const std::string& department,
                      int64_t sequence) {
  v1::Envelope event = EnvelopeOf(complaint_id, v1::WRITER_DISPATCH, sequence);
  event.mutable_assigned()->set_department(department);
  return event;
}

v1::Envelope Deadlines(const std::string& complaint_id, int64_t sequence) {
  v1::Envelope event = EnvelopeOf(complaint_id, v1::WRITER_TRACKING, sequence);
  event.mutable_deadlines_set()->mutable_respond_by()->set_seconds(1'800'000'000);
  event.mutable_deadlines_set()->mutable_resolve_by()->set_seconds(1'800'086'400);
  return event;
}

v1::Envelope PayloadOf(const v1::Envelope& event) {
  v1::Envelope payload;
  switch (event.payload_case()) {
    case v1::Envelope::kReceived:
      *payload.mutable_received() = event.received();
      break;
    case v1::Envelope::kClassified:
      *payload.mutable_classified() = event.classified();
      break;
    case v1::Envelope::kAssigned:
      *payload.mutable_assigned() = event.assigned();
      break;
    case v1::Envelope::kDeadlinesSet:
      *payload.mutable_deadlines_set() = event.deadlines_set();
      break;
    default:
      payload = event;
      payload.clear_event_id();
      payload.clear_complaint_id();
      payload.clear_writer();
      payload.clear_sequence();
      break;
  }
  return payload;
}

v1::Envelope IncidentDetected(const std::string& complaint_id, const std::string& incident_id,
                              const std::vector<std::string>& members, int64_t sequence) {
  v1::Envelope event = EnvelopeOf(complaint_id, v1::WRITER_ANALYTICS, sequence);
  v1::IncidentDetected& detected = *event.mutable_incident_detected();
  detected.set_incident_id(incident_id);
  detected.set_category("plumbing");
  detected.set_community("Sunshine Garden");
  detected.set_building("3");
  for (const std::string& member : members) detected.add_complaint_ids(member);
  return event;
}

}  // namespace complaints::testing
