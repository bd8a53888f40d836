#pragma once
// The dispatch decider (§3.1). A classified complaint is routed to a
// department and, through its pool, to a person, with the reason, the rule
// and a briefing for the receiver; one flagged as possible life safety
// (§2.3) goes to the duty office first. A department may reject it with a reason:
// it is re-routed to a department that has not rejected it, and after the
// configured number of hops to the duty supervisor. Staff transfer with a
// reason; the receiver accepts. The open-work projection comes in with the
// command. Pure.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"
#include "services/dispatch/domain/handler_picker.h"
#include "services/dispatch/domain/route_learning.h"
#include "services/dispatch/domain/router.h"

namespace complaints::dispatch {

// The rule an imported case's assignment is recorded under.
inline constexpr char kImportRule[] = "import";
// The rule a possible life-safety complaint goes to the duty office under (§2.3).
inline constexpr char kPossibleLifeSafetyRule[] = "possible-life-safety";

struct AssignComplaint {
  std::string complaint_id;
  Workload workload;
  // The active routing model's answer for the complaint (the shell asks the
  // model); none when learned routing is off.
  std::optional<ModelAnswer> model = std::nullopt;
};
struct RejectAssignment {
  std::string complaint_id;
  std::string department;  // the rejecting department: must hold the complaint
  std::string reason;
  Workload workload;
};
struct TransferComplaint {
  std::string complaint_id;
  std::string to_department;
  std::string to_handler;  // empty: the department's pool chooses
  std::string reason;
  Workload workload;
};
// §3.1 staff assign by hand: with no department and no handler named, the
// routing rules choose (as for a new complaint); naming one moves the
// complaint there — a handler alone, within its current department.
struct ManualAssign {
  std::string complaint_id;
  std::string department;
  std::string handler;
  std::string reason;  // required when a name is given
  Workload workload;
};
struct AcceptAssignment {
  std::string complaint_id;
  std::string handler;
};

// §2.4 a complaint goes to a department once it is classified and either its
// priority is dispatched before verification (the call-back task says so) or
// the call-back confirmed it; never once verification ended it or it was
// withdrawn.
// An imported case goes once classified (§4.2: verified back then).
bool ReadyForDispatch(const v1::ComplaintView& view);

// Policy: "an intake event after which the complaint is ReadyForDispatch ->
// assign" (`view` is the complaint with the event applied; the shell adds the
// workload). Assigning a complaint already assigned decides nothing, so a
// later intake event asking again is harmless.
std::optional<AssignComplaint> PolicyFor(const v1::Envelope& event, const v1::ComplaintView& view);

// True while the complaint is work in hand: until tracking records it
// resolved (or communicated, closed, archived). A reopened complaint is in
// hand again.
bool InHand(const v1::ComplaintView& view);

// The handler whose open work the complaint is while it is InHand; "" when
// none.
std::string OpenWorkOf(const v1::ComplaintView& view);

// Keeps the open-work projection in step with one complaint going from
// `before` to `after` (whichever writer's events moved it — a transfer moves
// the work, a resolution frees the handler); `events` are dispatch's own among
// them, whose assignments take a department's round-robin turn.
void UpdateWorkload(const v1::ComplaintView& before, const v1::ComplaintView& after,
                    const std::vector<v1::Envelope>& events, const Router& router,
                    Workload& workload);

class DispatchDecider {
 public:
  // `router` must outlive the decider.
  explicit DispatchDecider(const Router* router) : router_(router) {}

  absl::StatusOr<std::vector<v1::Envelope>> Decide(const AssignComplaint& command,
                                                   const v1::ComplaintView& view) const;
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const RejectAssignment& command,
                                                   const v1::ComplaintView& view) const;
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const TransferComplaint& command,
                                                   const v1::ComplaintView& view) const;
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const AcceptAssignment& command,
                                                   const v1::ComplaintView& view) const;
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const ManualAssign& command,
                                                   const v1::ComplaintView& view) const;

 private:
  // An imported case (§4.2): assigned where the previous system had it, dated
  // at its opening, under the rule "import" (routed as a new complaint when
  // it named no department); one still open is briefed to its holder now,
  // one closed is not.
  absl::StatusOr<std::vector<v1::Envelope>> AssignImported(const AssignComplaint& command,
                                                           const v1::ComplaintView& view) const;
  // §3.1 the department: a pinning rule's; else the model's when its
  // calibrated confidence reaches the configured minimum (and the department
  // has not rejected the complaint); else the rules' and the fallback's.
  // When `pick_handler`, the pool's handler too.
  v1::Envelope Routed(const v1::ComplaintView& view, const Workload& workload,
                      const std::optional<ModelAnswer>& model, bool pick_handler) const;
  // The handler for `department` and why ("" when the pool has none free).
  Pick HandlerIn(const std::string& department, const v1::ComplaintView& view,
                 const Workload& workload) const;
  v1::Envelope Briefing(const std::string& department, const std::string& handler,
                        const v1::ComplaintView& view) const;

  const Router* router_;
};

}  // namespace complaints::dispatch
