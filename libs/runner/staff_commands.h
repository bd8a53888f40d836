#pragma once
// What every service's staff commands share: one CommandKind per RPC, each
// answering the CommandOutcome the complaint's view gives; the checks of the
// idempotency key and complaint id; a decider's refusal prefixed with the
// command (and, for a state refusal, the complaint's handling status); and
// the run through the CommandRunner.

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "complaints/v1/state.pb.h"
#include "libs/core/clock.h"
#include "libs/runner/commands.h"
#include "libs/runner/service_spec.h"

namespace complaints {

// One kind per RPC name, each answering a CommandOutcome.
std::vector<CommandKind> StaffKinds(std::initializer_list<const char*> names);

// The CommandOutcome of `view` (answer_of of every staff kind).
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

// Decides the command at `now` in `unit` (its view already known to exist).
using StaffDecide =
    std::function<absl::Status(UnitOfWork& unit, const EventContext& context, absl::Time now)>;

// Checks the request, then runs `decide` through `runner` as the staff
// command `name` done by `actor` — NOT_FOUND for a complaint the service
// does not know, and what `admit` says when the actor may not act on it (a
// handler on a complaint held by neither them nor their department) — and
// fills `outcome` (duplicate set for a repeat).
absl::Status RunStaffCommand(CommandRunner& runner, const std::vector<CommandKind>& kinds,
                             absl::string_view name, const google::protobuf::Message& request,
                             const std::string& key, const std::string& complaint_id,
                             const v1::Actor& actor, const Admission& admit, const Clock& clock,
                             const StaffDecide& decide, v1::CommandOutcome* outcome);

}  // namespace complaints
