#include "services/dispatch/domain/dispatch_decider.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/complaint/view.h"

namespace complaints::dispatch {
namespace {

absl::Status Precondition(const std::string& complaint_id, absl::string_view state) {
  return absl::FailedPreconditionError(absl::StrCat("complaint ", complaint_id, " ", state));
}

bool Blank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

}  // namespace

bool ReadyForDispatch(const v1::ComplaintView& view) {
  const v1::IntakeState& intake = view.intake();
  const v1::VerificationState& verification = intake.verification();
  // §4.2 an imported case was verified, or not, in the previous system.
  if (Imported(view)) return !intake.category().empty() && !intake.withdrawn();
  if (intake.category().empty() || !verification.has_callback_due_at() || intake.withdrawn()) {
    return false;
  }
  if (verification.outcome() != v1::VERIFICATION_OUTCOME_UNSPECIFIED) {
    return verification.outcome() == v1::VERIFICATION_OUTCOME_CONFIRMED;
  }
  return verification.dispatch_before_verification();
}

std::optional<AssignComplaint> PolicyFor(const v1::Envelope& event, const v1::ComplaintView& view) {
  if (event.writer() != v1::WRITER_INTAKE || !view.dispatch().department().empty() ||
      !ReadyForDispatch(view)) {
    return std::nullopt;
  }
  return AssignComplaint{event.complaint_id(), {}};
}

bool InHand(const v1::ComplaintView& view) {
  const v1::HandlingStatus status = view.tracking().handling().status();
  return status == v1::HANDLING_STATUS_UNSPECIFIED || status == v1::HANDLING_STATUS_OPEN;
}

std::string OpenWorkOf(const v1::ComplaintView& view) {
  return InHand(view) ? view.dispatch().handler() : "";
}

void UpdateWorkload(const v1::ComplaintView& before, const v1::ComplaintView& after,
                    const std::vector<v1::Envelope>& events, const Router& router,
                    Workload& workload) {
  const std::string was = OpenWorkOf(before);
  const std::string is = OpenWorkOf(after);
  if (was != is) {
    if (!was.empty() && workload.open[was] > 0) --workload.open[was];
    if (!is.empty()) ++workload.open[is];
  }
  for (const v1::Envelope& event : events) {
    if (event.has_assigned() && !event.assigned().handler().empty()) {
      ++workload.turns[event.assigned().department()];
    }
    if (event.has_transferred() && !event.transferred().to_handler().empty() &&
        router.PoolOf(event.transferred().to_department()) != nullptr) {
      ++workload.turns[event.transferred().to_department()];
    }
  }
}

Pick DispatchDecider::HandlerIn(const std::string& department, const v1::ComplaintView& view,
                                const Workload& workload) const {
  const v1::HandlerPool* pool = router_->PoolOf(department);
  if (pool == nullptr)
    return {"", absl::StrCat(department, " has no handler pool; the department assigns it")};
  return PickHandler(*pool, view.intake().category(), workload);
}

v1::Envelope DispatchDecider::Briefing(const std::string& department, const std::string& handler,
                                       const v1::ComplaintView& view) const {
  v1::Envelope event;
  v1::ReceiverBriefed& briefing = *event.mutable_receiver_briefed();
  briefing.set_department(department);
  briefing.set_handler(handler);
  briefing.set_category(view.intake().category());
  briefing.set_priority(view.intake().priority());
  briefing.set_content(view.intake().content());
  *briefing.mutable_location() = view.intake().location();
  briefing.set_contact_channel(view.intake().channel());
  if (view.tracking().has_respond_by())
    *briefing.mutable_respond_by() = view.tracking().respond_by();
  if (view.tracking().has_resolve_by())
    *briefing.mutable_resolve_by() = view.tracking().resolve_by();
  return event;
}

v1::Envelope DispatchDecider::Routed(const v1::ComplaintView& view, const Workload& workload,
                                     const std::optional<ModelAnswer>& model,
                                     bool pick_handler) const {
  RouteQuery query{view.intake().category(),
                   view.intake().priority(),
                   view.intake().location().community(),
                   {view.dispatch().rejected_by().begin(), view.dispatch().rejected_by().end()}};
  v1::Envelope assigned;
  v1::ComplaintAssigned& to = *assigned.mutable_assigned();
  const std::string& duty = router_->rules().duty_supervisor_department();
  if (!view.intake().possible_life_safety().empty() && !query.excluded.count(duty)) {
    // §2.3 a text near a life-safety rule: people look at it now, whatever
    // the rules or a model would say.
    to.set_department(duty);
    to.mutable_rule()->set_id(kPossibleLifeSafetyRule);
    to.mutable_rule()->set_version(1);
    to.set_reason(absl::StrCat("possible life safety (", view.intake().possible_life_safety(),
                               "): the duty office checks it at once"));
    if (!pick_handler) return assigned;
    const Pick pick = HandlerIn(duty, view, workload);
    to.set_handler(pick.handler.empty() ? router_->rules().duty_supervisor() : pick.handler);
    if (const v1::HandlerPool* pool = router_->PoolOf(duty)) to.set_strategy(pool->strategy());
    return assigned;
  }
  to = router_->Route(query);
  if (model.has_value() && !router_->IsPinned(to.rule())) {
    const double minimum = router_->min_confidence();
    if (model->department.empty()) {
      to.set_reason(
          absl::StrCat(to.reason(), "; the model (", model->version, ") knew none of its words"));
    } else if (model->confidence >= minimum && !query.excluded.count(model->department)) {
      const std::string ruled = to.department();
      to.clear_rule();
      to.set_department(model->department);
      to.set_team(model->team);
      v1::ModelRef& ref = *to.mutable_model();
      ref.set_version(model->version);
      ref.set_confidence(model->confidence);
      ref.set_team_confidence(model->team_confidence);
      to.set_reason(absl::StrFormat(
          "learned routing: %s (model %s, confidence %.2f, at least %.2f needed); the rules "
          "would name %s",
          model->department, model->version, model->confidence, minimum, ruled));
    } else {
      to.set_reason(absl::StrFormat("%s; the model's %s at confidence %.2f was not taken",
                                    to.reason(), model->department, model->confidence));
    }
  }
  if (!pick_handler) return assigned;
  const std::string department = to.department();
  const Pick pick = HandlerIn(department, view, workload);
  to.set_handler(pick.handler);
  to.set_reason(absl::StrCat(to.reason(), "; ", pick.reason));
  if (const v1::HandlerPool* pool = router_->PoolOf(department)) {
    to.set_strategy(pool->strategy());
  }
  return assigned;
}

absl::StatusOr<std::vector<v1::Envelope>> DispatchDecider::Decide(
    const AssignComplaint& command, const v1::ComplaintView& view) const {
  if (!view.dispatch().department().empty()) return std::vector<v1::Envelope>{};
  if (view.intake().category().empty())
    return Precondition(command.complaint_id, "is not classified yet");
  if (Imported(view)) return AssignImported(command, view);
  v1::Envelope assigned = Routed(view, command.workload, command.model, /*pick_handler=*/true);
  const v1::ComplaintAssigned& to = assigned.assigned();
  v1::Envelope briefing = Briefing(to.department(), to.handler(), view);
  return std::vector<v1::Envelope>{std::move(assigned), std::move(briefing)};
}

absl::StatusOr<std::vector<v1::Envelope>> DispatchDecider::AssignImported(
    const AssignComplaint& command, const v1::ComplaintView& view) const {
  const v1::HistoricalCase& history = view.intake().history();
  const bool closed = ImportedClosed(view);
  v1::Envelope assigned;
  if (history.department().empty()) {
    // Routed by today's rules; a closed case takes nobody's time.
    assigned = Routed(view, command.workload, command.model, /*pick_handler=*/!closed);
    assigned.mutable_assigned()->set_reason(absl::StrCat(
        assigned.assigned().reason(), "; ", history.source_system(), " named no department"));
  } else {
    v1::ComplaintAssigned& to = *assigned.mutable_assigned();
    to.set_department(history.department());
    to.set_team(history.team());
    to.set_handler(history.handler());
    to.set_reason(absl::StrCat("as recorded by ", history.source_system(), " (case ",
                               history.source_id(), ")"));
    to.mutable_rule()->set_id(kImportRule);
    to.mutable_rule()->set_version(1);
    *assigned.mutable_occurred_at() = history.opened_at();
    *assigned.mutable_recorded_at() = history.opened_at();
  }
  if (closed) {
    *assigned.mutable_occurred_at() = history.opened_at();
    *assigned.mutable_recorded_at() = history.opened_at();
    return std::vector<v1::Envelope>{std::move(assigned)};
  }
  // Still open: its holder learns of it now.
  const v1::ComplaintAssigned& to = assigned.assigned();
  v1::Envelope briefing = Briefing(to.department(), to.handler(), view);
  return std::vector<v1::Envelope>{std::move(assigned), std::move(briefing)};
}

absl::StatusOr<std::vector<v1::Envelope>> DispatchDecider::Decide(
    const RejectAssignment& command, const v1::ComplaintView& view) const {
  const v1::DispatchState& dispatch = view.dispatch();
  if (dispatch.department().empty()) return Precondition(command.complaint_id, "is not assigned");
  if (command.department != dispatch.department()) {
    return Precondition(command.complaint_id, absl::StrCat("is with ", dispatch.department(),
                                                           ", not ", command.department));
  }
  if (Blank(command.reason)) return absl::InvalidArgumentError("reason: required");
  v1::Envelope rejected;
  rejected.mutable_assignment_rejected()->set_department(dispatch.department());
  rejected.mutable_assignment_rejected()->set_handler(dispatch.handler());
  rejected.mutable_assignment_rejected()->set_reason(command.reason);

  const v1::RoutingRules& rules = router_->rules();
  const int hop = dispatch.hops() + 1;
  v1::ComplaintTransferred moved;
  moved.set_from_department(dispatch.department());
  moved.set_from_handler(dispatch.handler());
  moved.set_hop(hop);
  RouteQuery query{view.intake().category(),
                   view.intake().priority(),
                   view.intake().location().community(),
                   {dispatch.rejected_by().begin(), dispatch.rejected_by().end()}};
  query.excluded.insert(dispatch.department());
  const v1::ComplaintAssigned route = router_->Route(query);
  // Every department the rules could give has refused it (the fallback too).
  const bool none_left = query.excluded.count(route.department()) > 0;
  if (hop >= rules.max_hops() || none_left) {
    moved.set_to_department(rules.duty_supervisor_department());
    moved.set_to_handler(rules.duty_supervisor());
    moved.mutable_rule()->set_id("routing.max_hops");
    moved.mutable_rule()->set_version(1);
    moved.set_reason(
        absl::StrCat("rejected by ", dispatch.department(), ": ", command.reason, "; ",
                     none_left ? "every department the rules give has rejected it"
                               : absl::StrCat(hop, " hops reach the limit of ", rules.max_hops()),
                     ", so the duty supervisor decides"));
  } else {
    const Pick pick = HandlerIn(route.department(), view, command.workload);
    moved.set_to_department(route.department());
    moved.set_to_handler(pick.handler);
    *moved.mutable_rule() = route.rule();
    moved.set_reason(absl::StrCat("rejected by ", dispatch.department(), ": ", command.reason, "; ",
                                  route.reason(), "; ", pick.reason));
  }
  v1::Envelope transferred;
  *transferred.mutable_transferred() = moved;
  return std::vector<v1::Envelope>{rejected, transferred,
                                   Briefing(moved.to_department(), moved.to_handler(), view)};
}

absl::StatusOr<std::vector<v1::Envelope>> DispatchDecider::Decide(
    const TransferComplaint& command, const v1::ComplaintView& view) const {
  const v1::DispatchState& dispatch = view.dispatch();
  if (dispatch.department().empty()) return Precondition(command.complaint_id, "is not assigned");
  if (!router_->IsDepartment(command.to_department)) {
    return absl::InvalidArgumentError(
        absl::StrCat("to_department: unknown department ", command.to_department));
  }
  if (Blank(command.reason)) return absl::InvalidArgumentError("reason: required");
  if (command.to_department == dispatch.department() &&
      (command.to_handler.empty() || command.to_handler == dispatch.handler())) {
    return std::vector<v1::Envelope>{};
  }
  v1::ComplaintTransferred moved;
  moved.set_from_department(dispatch.department());
  moved.set_from_handler(dispatch.handler());
  moved.set_to_department(command.to_department);
  moved.set_hop(dispatch.hops() + 1);
  std::string how = "named by staff";
  if (command.to_handler.empty()) {
    const Pick pick = HandlerIn(command.to_department, view, command.workload);
    moved.set_to_handler(pick.handler);
    how = pick.reason;
  } else {
    moved.set_to_handler(command.to_handler);
  }
  moved.set_reason(absl::StrCat(command.reason, "; ", how));
  v1::Envelope transferred;
  *transferred.mutable_transferred() = moved;
  return std::vector<v1::Envelope>{transferred,
                                   Briefing(moved.to_department(), moved.to_handler(), view)};
}

absl::StatusOr<std::vector<v1::Envelope>> DispatchDecider::Decide(
    const AcceptAssignment& command, const v1::ComplaintView& view) const {
  const v1::DispatchState& dispatch = view.dispatch();
  if (dispatch.department().empty()) return Precondition(command.complaint_id, "is not assigned");
  if (!dispatch.handler().empty() && command.handler != dispatch.handler()) {
    return Precondition(command.complaint_id, absl::StrCat("is assigned to ", dispatch.handler(),
                                                           ", not ", command.handler));
  }
  if (dispatch.accepted()) return std::vector<v1::Envelope>{};
  v1::Envelope accepted;
  accepted.mutable_assignment_accepted()->set_department(dispatch.department());
  accepted.mutable_assignment_accepted()->set_handler(command.handler);
  return std::vector<v1::Envelope>{accepted};
}

absl::StatusOr<std::vector<v1::Envelope>> DispatchDecider::Decide(
    const ManualAssign& command, const v1::ComplaintView& view) const {
  if (command.department.empty() && command.handler.empty()) {
    return Decide(AssignComplaint{command.complaint_id, command.workload}, view);
  }
  return Decide(TransferComplaint{command.complaint_id,
                                  command.department.empty() ? view.dispatch().department()
                                                             : command.department,
                                  command.handler, command.reason, command.workload},
                view);
}

}  // namespace complaints::dispatch
