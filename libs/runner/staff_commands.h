#pragma once
// What every service's staff commands share (the spec runtime runs them):
// the CommandOutcome the complaint's view gives; the checks of the
// idempotency key and complaint id; a decider's refusal prefixed with the
// command (and, for a state refusal, the complaint's handling status).

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "complaints/v1/state.pb.h"
#include "google/protobuf/message.h"

namespace complaints {

// The CommandOutcome of `view` (the answer of every staff command by default).
void OutcomeOf(const v1::ComplaintView& view, google::protobuf::Message* answer);

// Whether any writer's events about the complaint reached this service.
bool KnownComplaint(const v1::ComplaintView& view);

// INVALID_ARGUMENT naming idempotency_key or complaint_id.
absl::Status CheckStaffRequest(const std::string& idempotency_key, const std::string& complaint_id);

// "open", "resolved", … as staff read a handling status.
std::string HandlingStatusLabel(v1::HandlingStatus status);

// "Resolve: complaint C1 is not open (it is closed)".
absl::Status Explained(absl::string_view command, const absl::Status& refusal,
                       const v1::ComplaintView& view);

}  // namespace complaints
