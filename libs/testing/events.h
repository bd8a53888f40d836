#pragma once
// Builders for events in tests: only the fields a test cares about.

#include <string>
#include <vector>

#include "complaints/v1/events.pb.h"

namespace complaints::testing {

// An envelope with its id, writer and sequence set, and no payload yet.
v1::Envelope EnvelopeOf(const std::string& complaint_id, v1::Writer writer, int64_t sequence);

v1::Envelope Received(const std::string& complaint_id, int64_t sequence = 1,
                      const std::string& occurred_at_rfc3339 = "2026-11-26T09:00:00+08:00");
v1::Envelope Classified(const std::string& complaint_id, const std::string& category,
                        v1::Priority priority, int64_t sequence = 2);
// §2.4 the call-back task; `dispatch_first`: dispatch need not wait for it.
v1::Envelope CallbackScheduled(const std::string& complaint_id, bool dispatch_first = true,
                               int64_t sequence = 3);
v1::Envelope Assigned(const std::string& complaint_id, const std::string& department,
                      int64_t sequence = 1);
v1::Envelope Deadlines(const std::string& complaint_id, int64_t sequence = 1);

// §3.1 / §5.1 analytics put `complaint_id` into an incident founded by `members`.
v1::Envelope IncidentDetected(const std::string& complaint_id, const std::string& incident_id,
                              const std::vector<std::string>& members, int64_t sequence = 1);

// Just the payload part, as a decider returns it.
v1::Envelope PayloadOf(const v1::Envelope& event);

}  // namespace complaints::testing
