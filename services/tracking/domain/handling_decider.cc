#include "services/tracking/domain/handling_decider.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/complaint/labels.h"
#include "libs/complaint/view.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "services/tracking/domain/backlog.h"
#include "services/tracking/domain/sla_plan.h"

namespace complaints::tracking {
namespace {

using Events = HandlingDecider::Events;

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}
absl::Status Precondition(const std::string& id, absl::string_view state) {
  return absl::FailedPreconditionError(absl::StrCat("complaint ", id, " ", state));
}
bool Blank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

v1::HandlingStatus StatusOf(const v1::ComplaintView& view) {
  return view.tracking().handling().status();
}

// Open or resolved: handling work may still be recorded.
bool InHand(const v1::ComplaintView& view) {
  return StatusOf(view) == v1::HANDLING_STATUS_OPEN ||
         StatusOf(view) == v1::HANDLING_STATUS_RESOLVED;
}

// Closed or archived: nothing more happens to it.
bool Ended(const v1::ComplaintView& view) {
  return StatusOf(view) == v1::HANDLING_STATUS_CLOSED ||
         StatusOf(view) == v1::HANDLING_STATUS_ARCHIVED;
}

v1::Envelope At(absl::Time now) {
  v1::Envelope event;
  *event.mutable_occurred_at() = ToProto(now);
  return event;
}

std::vector<v1::Envelope> One(v1::Envelope event) { return {std::move(event)}; }

absl::Time LastNews(const v1::ComplaintView& view) {
  absl::Time last = FromProto(ClockStart(view));
  const v1::HandlingState& handling = view.tracking().handling();
  if (handling.has_last_news_at()) last = std::max(last, FromProto(handling.last_news_at()));
  return last;
}

std::optional<absl::Time> DueOf(const v1::ComplaintView& view, v1::SlaTarget target) {
  if (target == v1::SLA_TARGET_RESPOND && view.tracking().has_respond_by()) {
    return FromProto(view.tracking().respond_by());
  }
  if (target == v1::SLA_TARGET_RESOLVE && view.tracking().has_resolve_by()) {
    return FromProto(view.tracking().resolve_by());
  }
  return std::nullopt;
}

}  // namespace

std::optional<EndAtIntake> IntakeEndPolicy(const v1::Envelope& event) {
  const absl::Time now = FromProto(event.occurred_at());
  if (event.has_withdrawn()) {
    return EndAtIntake{event.complaint_id(),
                       absl::StrCat("withdrawn by the complainant: ", event.withdrawn().reason()),
                       now};
  }
  if (!event.has_verification_recorded()) return std::nullopt;
  const v1::VerificationRecorded& recorded = event.verification_recorded();
  if (recorded.outcome() == v1::VERIFICATION_OUTCOME_CONFIRMED ||
      recorded.outcome() == v1::VERIFICATION_OUTCOME_UNSPECIFIED) {
    return std::nullopt;
  }
  return EndAtIntake{
      event.complaint_id(),
      absl::StrCat("verification call-back: ",
                   EnumLabel(v1::VerificationOutcome_descriptor(), recorded.outcome()), ": ",
                   recorded.explanation()),
      now};
}

std::optional<NotifyReceiver> HandoverPolicy(const v1::Envelope& event) {
  if (!event.has_receiver_briefed()) return std::nullopt;
  return NotifyReceiver{event.complaint_id(), event.receiver_briefed().department(),
                        event.receiver_briefed().handler(), FromProto(event.occurred_at())};
}

v1::RuleRef HandlingDecider::PolicyRef() const {
  v1::RuleRef ref;
  ref.set_id(policy_.id());
  ref.set_version(policy_.version());
  return ref;
}

absl::StatusOr<HandlingDecider> HandlingDecider::Create(v1::HandlingPolicy policy,
                                                        const SlaBook* book,
                                                        const BusinessCalendar* calendar) {
  if (policy.id().empty()) return Invalid("id", "required");
  if (policy.version() < 1) return Invalid("version", "must be at least 1");
  if (policy.satisfied_from_score() < 1 || policy.satisfied_from_score() > 5) {
    return Invalid("satisfied_from_score", "must be 1 to 5");
  }
  if (policy.long_term_check_after_days() < 1)
    return Invalid("long_term_check_after_days", "at least 1");
  if (policy.archive_after_days() < policy.long_term_check_after_days()) {
    return Invalid("archive_after_days", "must not come before the long-term check");
  }
  if (policy.status_report_after_hours() < 1)
    return Invalid("status_report_after_hours", "at least 1");
  if (policy.max_extension_minutes() < 1) return Invalid("max_extension_minutes", "at least 1");
  if (absl::StatusOr<BacklogRules> backlog = BacklogRulesOf(policy.backlog()); !backlog.ok()) {
    return backlog.status();
  }
  return HandlingDecider(std::move(policy), book, calendar);
}

Events HandlingDecider::Decide(const AddNote& command, const v1::ComplaintView& view) const {
  if (!InHand(view)) return Precondition(command.complaint_id, "is not in hand");
  if (Blank(command.text)) return Invalid("text", "required");
  v1::Envelope event = At(command.now);
  event.mutable_note_added()->set_text(command.text);
  return One(std::move(event));
}

Events HandlingDecider::Decide(const CollectEvidence& command,
                               const v1::ComplaintView& view) const {
  if (!InHand(view)) return Precondition(command.complaint_id, "is not in hand");
  if (Blank(command.attachment.name()) || command.attachment.sha256().size() != 64) {
    return Invalid("attachment", "a name and a SHA-256 are required");
  }
  v1::Envelope event = At(command.now);
  *event.mutable_evidence_collected()->mutable_attachment() = command.attachment;
  event.mutable_evidence_collected()->set_description(command.description);
  return One(std::move(event));
}

Events HandlingDecider::Decide(const RequestExtension& command,
                               const v1::ComplaintView& view) const {
  if (StatusOf(view) != v1::HANDLING_STATUS_OPEN)
    return Precondition(command.complaint_id, "is not open");
  if (view.tracking().handling().pending_extension() != v1::SLA_TARGET_UNSPECIFIED) {
    return Precondition(command.complaint_id, "has an extension request awaiting a decision");
  }
  std::optional<absl::Time> due = DueOf(view, command.target);
  if (!due) return Invalid("target", "respond or resolve, with a due time");
  if (command.now >= *due)
    return Precondition(command.complaint_id, "is past that deadline: ask before it");
  if (command.extra_minutes < 1 || command.extra_minutes > policy_.max_extension_minutes()) {
    return Invalid("extra_minutes", absl::StrCat("1 to ", policy_.max_extension_minutes()));
  }
  if (Blank(command.reason)) return Invalid("reason", "required");
  v1::Envelope event = At(command.now);
  v1::ExtensionRequested& requested = *event.mutable_extension_requested();
  requested.set_target(command.target);
  requested.set_extra_minutes(command.extra_minutes);
  requested.set_reason(command.reason);
  return One(std::move(event));
}

Events HandlingDecider::Decide(const DecideExtension& command,
                               const v1::ComplaintView& view) const {
  const v1::HandlingState& handling = view.tracking().handling();
  if (handling.pending_extension() == v1::SLA_TARGET_UNSPECIFIED) {
    return Precondition(command.complaint_id, "has no extension request to decide");
  }
  if (Blank(command.note)) return Invalid("note", "required: the supervisor's reasoning");
  if (Blank(command.complainant_message))
    return Invalid("complainant_message", "required: the complainant is told");
  v1::Envelope decided = At(command.now);
  v1::ExtensionDecided& decision = *decided.mutable_extension_decided();
  decision.set_target(handling.pending_extension());
  decision.set_approved(command.approve);
  decision.set_extra_minutes(handling.pending_extension_minutes());
  decision.set_note(command.note);
  decision.set_complainant_message(command.complainant_message);
  std::vector<v1::Envelope> events = One(decided);
  if (!command.approve) return events;
  // New targets with the extension counted.
  const v1::SlaState& sla = view.tracking().sla();
  absl::StatusOr<const v1::SlaPolicy*> policy = book_->Find(sla.priority(), sla.complexity());
  if (!policy.ok()) return policy.status();
  auto extensions = sla.extension_minutes();
  extensions[handling.pending_extension()] += handling.pending_extension_minutes();
  v1::Envelope deadlines = At(command.now);
  *deadlines.mutable_deadlines_set() =
      Plan(**policy, *calendar_, FromProto(sla.started_at()), sla.pauses(), &extensions);
  deadlines.mutable_deadlines_set()->set_reason(absl::StrCat("extension approved: ", command.note));
  events.push_back(std::move(deadlines));
  return events;
}

Events HandlingDecider::Decide(const Resolve& command, const v1::ComplaintView& view) const {
  if (StatusOf(view) == v1::HANDLING_STATUS_RESOLVED) return std::vector<v1::Envelope>{};
  if (StatusOf(view) != v1::HANDLING_STATUS_OPEN)
    return Precondition(command.complaint_id, "is not open");
  if (Blank(command.outcome)) return Invalid("outcome", "required");
  if (Blank(command.solution)) return Invalid("solution", "required");
  if (Blank(command.prevention))
    return Invalid("prevention", "required: how a recurrence is avoided");
  v1::Envelope event = At(command.now);
  event.mutable_resolved()->set_outcome(command.outcome);
  event.mutable_resolved()->set_solution(command.solution);
  event.mutable_resolved()->set_prevention(command.prevention);
  return One(std::move(event));
}

Events HandlingDecider::Decide(const Resolve& command, const v1::ComplaintView& view,
                               const std::vector<v1::ComplaintView>& duplicates) const {
  Events resolved = Decide(command, view);
  if (!resolved.ok() || resolved->empty()) return resolved;
  for (const v1::ComplaintView& duplicate : duplicates) {
    if (StatusOf(duplicate) != v1::HANDLING_STATUS_OPEN) continue;
    const Resolve follows{
        duplicate.complaint_id(), command.outcome,
        absl::StrCat(command.solution, " (as its primary ", view.complaint_id(), ")"),
        command.prevention, command.now};
    Events also = Decide(follows, duplicate);
    if (!also.ok()) return also;
    for (v1::Envelope& event : *also) {
      event.set_complaint_id(duplicate.complaint_id());
      resolved->push_back(std::move(event));
    }
  }
  return resolved;
}

Events HandlingDecider::Decide(const LinkDuplicate& command, const v1::ComplaintView& duplicate,
                               const v1::ComplaintView& primary) const {
  const std::string& id = command.complaint_id;
  if (Blank(command.primary_id)) return Invalid("primary_id", "required");
  if (command.primary_id == id) {
    return Invalid("primary_id", "the complaint itself: a complaint is not its own duplicate");
  }
  if (Blank(command.reason)) return Invalid("reason", "required: why they are one matter");
  const v1::HandlingState& handling = duplicate.tracking().handling();
  if (handling.duplicate_of() == command.primary_id) return std::vector<v1::Envelope>{};
  if (StatusOf(primary) == v1::HANDLING_STATUS_UNSPECIFIED) {
    // The id is the caller's own text, echoed back escaped.
    return absl::NotFoundError(absl::StrCat("primary_id: complaint ",
                                            EscapedPrefix(command.primary_id, 64),
                                            " is not known to tracking"));
  }
  if (!handling.duplicate_of().empty()) {
    return Precondition(id, absl::StrCat("is a duplicate of ", handling.duplicate_of(),
                                         " already: unlink it first"));
  }
  if (!primary.tracking().handling().duplicate_of().empty()) {
    return Precondition(
        command.primary_id,
        absl::StrCat("is itself a duplicate of ", primary.tracking().handling().duplicate_of(),
                     ": link to that one"));
  }
  if (handling.duplicates_size() > 0) {
    return Precondition(
        id, absl::StrCat("has ", handling.duplicates_size(),
                         " duplicates of its own: link them to ", command.primary_id, " first"));
  }
  if (StatusOf(duplicate) != v1::HANDLING_STATUS_OPEN) return Precondition(id, "is not open");
  if (StatusOf(primary) != v1::HANDLING_STATUS_OPEN) {
    return Precondition(command.primary_id, "is not open: resolve this one on its own");
  }
  v1::Envelope linked = At(command.now);
  v1::DuplicateLinked& link = *linked.mutable_duplicate_linked();
  link.set_primary_id(command.primary_id);
  link.set_duplicate_id(id);
  link.set_reason(command.reason);
  v1::Envelope on_primary = linked;
  on_primary.set_complaint_id(command.primary_id);
  return std::vector<v1::Envelope>{std::move(linked), std::move(on_primary)};
}

Events HandlingDecider::Decide(const UnlinkDuplicate& command,
                               const v1::ComplaintView& duplicate) const {
  const std::string& primary = duplicate.tracking().handling().duplicate_of();
  if (primary.empty()) return Precondition(command.complaint_id, "is no duplicate");
  if (Blank(command.reason)) return Invalid("reason", "required: why the link was wrong");
  v1::Envelope unlinked = At(command.now);
  v1::DuplicateUnlinked& link = *unlinked.mutable_duplicate_unlinked();
  link.set_primary_id(primary);
  link.set_duplicate_id(command.complaint_id);
  link.set_reason(command.reason);
  v1::Envelope on_primary = unlinked;
  on_primary.set_complaint_id(primary);
  return std::vector<v1::Envelope>{std::move(unlinked), std::move(on_primary)};
}

Events HandlingDecider::Decide(const CommunicateResult& command,
                               const v1::ComplaintView& view) const {
  if (StatusOf(view) == v1::HANDLING_STATUS_COMMUNICATED) return std::vector<v1::Envelope>{};
  if (StatusOf(view) != v1::HANDLING_STATUS_RESOLVED) {
    return Precondition(command.complaint_id, "has no result to communicate yet");
  }
  if (command.channel == v1::CHANNEL_UNSPECIFIED || !v1::Channel_IsValid(command.channel)) {
    return Invalid("channel", "required");
  }
  v1::Envelope event = At(command.now);
  event.mutable_result_communicated()->set_channel(command.channel);
  event.mutable_result_communicated()->set_complainant_response(command.complainant_response);
  return One(std::move(event));
}

Events HandlingDecider::Reopen(const v1::ComplaintView& view, const std::string& reason,
                               absl::Time now, std::vector<v1::Envelope> before) const {
  const v1::SlaState& sla = view.tracking().sla();
  absl::StatusOr<const v1::SlaPolicy*> policy = book_->Find(sla.priority(), sla.complexity());
  if (!policy.ok()) return policy.status();
  v1::Envelope reopened = At(now);
  reopened.mutable_reopened()->set_reason(reason);
  reopened.mutable_reopened()->set_round(view.tracking().handling().reopen_rounds() + 1);
  *reopened.mutable_reopened()->mutable_policy() = PolicyRef();
  v1::Envelope deadlines = At(now);
  *deadlines.mutable_deadlines_set() = Plan(**policy, *calendar_, now, {});
  deadlines.mutable_deadlines_set()->set_reason(absl::StrCat("reopened: ", reason));
  before.push_back(std::move(reopened));
  before.push_back(std::move(deadlines));
  return before;
}

Events HandlingDecider::Decide(const RecordFollowUp& command, const v1::ComplaintView& view) const {
  if (StatusOf(view) != v1::HANDLING_STATUS_COMMUNICATED) {
    return Precondition(command.complaint_id, "has no communicated result to follow up");
  }
  if (command.satisfaction < 1 || command.satisfaction > 5)
    return Invalid("satisfaction", "1 to 5");
  const bool satisfied = command.satisfaction >= policy_.satisfied_from_score();
  v1::Envelope follow_up = At(command.now);
  follow_up.mutable_follow_up_recorded()->set_satisfaction(command.satisfaction);
  follow_up.mutable_follow_up_recorded()->set_comments(command.comments);
  follow_up.mutable_follow_up_recorded()->set_satisfied(satisfied);
  *follow_up.mutable_follow_up_recorded()->mutable_policy() = PolicyRef();
  if (!satisfied) {
    return Reopen(view,
                  absl::StrCat("unsatisfied (", command.satisfaction, "/5): ", command.comments),
                  command.now, One(std::move(follow_up)));
  }
  v1::Envelope closed = At(command.now);
  closed.mutable_closed()->set_reason(absl::StrCat("satisfied (", command.satisfaction, "/5)"));
  *closed.mutable_closed()->mutable_policy() = PolicyRef();
  return std::vector<v1::Envelope>{std::move(follow_up), std::move(closed)};
}

Events HandlingDecider::Decide(const RecordLongTermCheck& command,
                               const v1::ComplaintView& view) const {
  const v1::HandlingState& handling = view.tracking().handling();
  if (StatusOf(view) != v1::HANDLING_STATUS_CLOSED)
    return Precondition(command.complaint_id, "is not closed");
  if (handling.long_term_checked()) return std::vector<v1::Envelope>{};
  const absl::Time due =
      FromProto(handling.closed_at()) + absl::Hours(24 * policy_.long_term_check_after_days());
  if (command.now < due) {
    return Precondition(command.complaint_id,
                        absl::StrCat("is checked from ", absl::FormatTime(due)));
  }
  v1::Envelope check = At(command.now);
  check.mutable_long_term_check_recorded()->set_recurred(command.recurred);
  check.mutable_long_term_check_recorded()->set_note(command.note);
  *check.mutable_long_term_check_recorded()->mutable_policy() = PolicyRef();
  if (!command.recurred) return One(std::move(check));
  return Reopen(view, absl::StrCat("the problem came back: ", command.note), command.now,
                One(std::move(check)));
}

Events HandlingDecider::Decide(const ArchiveComplaint& command,
                               const v1::ComplaintView& view) const {
  if (StatusOf(view) == v1::HANDLING_STATUS_ARCHIVED) return std::vector<v1::Envelope>{};
  if (StatusOf(view) != v1::HANDLING_STATUS_CLOSED)
    return Precondition(command.complaint_id, "is not closed");
  const absl::Time due = FromProto(view.tracking().handling().closed_at()) +
                         absl::Hours(24 * policy_.archive_after_days());
  if (command.now < due)
    return Precondition(command.complaint_id, "is within its retention period");
  v1::Envelope event = At(command.now);
  *event.mutable_archived()->mutable_policy() = PolicyRef();
  return One(std::move(event));
}

Events HandlingDecider::Decide(const RemindLongTermCheck& command,
                               const v1::ComplaintView& view) const {
  const v1::HandlingState& handling = view.tracking().handling();
  if (handling.long_term_checked() || handling.long_term_check_due()) {
    return std::vector<v1::Envelope>{};
  }
  if (StatusOf(view) != v1::HANDLING_STATUS_CLOSED)
    return Precondition(command.complaint_id, "is not closed");
  const absl::Time due =
      FromProto(handling.closed_at()) + absl::Hours(24 * policy_.long_term_check_after_days());
  if (command.now < due) return Precondition(command.complaint_id, "is not due its check yet");
  v1::Envelope event = At(command.now);
  event.mutable_long_term_check_due()->set_after_days(policy_.long_term_check_after_days());
  *event.mutable_long_term_check_due()->mutable_policy() = PolicyRef();
  return One(std::move(event));
}

Events HandlingDecider::Decide(const ReportStatus& command, const v1::ComplaintView& view) const {
  if (!InHand(view)) return std::vector<v1::Envelope>{};
  if (command.now - LastNews(view) < absl::Hours(policy_.status_report_after_hours())) {
    return std::vector<v1::Envelope>{};
  }
  v1::Envelope event = At(command.now);
  const std::string& department = view.dispatch().department();
  event.mutable_status_reported()->set_message(absl::StrCat(
      "Your complaint ", command.complaint_id, " is ",
      StatusOf(view) == v1::HANDLING_STATUS_RESOLVED
          ? "resolved; we will tell you the result shortly"
          : "being handled",
      department.empty() ? "" : absl::StrCat(" by ", department),
      view.tracking().has_resolve_by() ? absl::StrCat("; it is due to be resolved by ",
                                                      FormatRfc3339(view.tracking().resolve_by()))
                                       : "",
      "."));
  *event.mutable_status_reported()->mutable_policy() = PolicyRef();
  return One(std::move(event));
}

Events HandlingDecider::Decide(const RecordFeedback& command, const v1::ComplaintView& view) const {
  if (!view.intake().received())
    return absl::NotFoundError(absl::StrCat("complaint ", command.complaint_id, " is not known"));
  if (command.kind != "opinion" && command.kind != "suggestion")
    return Invalid("kind", "opinion or suggestion");
  if (Blank(command.text)) return Invalid("text", "required");
  v1::Envelope event = At(command.now);
  event.mutable_feedback_recorded()->set_kind(command.kind);
  event.mutable_feedback_recorded()->set_text(command.text);
  return One(std::move(event));
}

Events HandlingDecider::Decide(const EndAtIntake& command, const v1::ComplaintView& view) const {
  if (Ended(view)) return std::vector<v1::Envelope>{};
  v1::Envelope closed = At(command.now);
  closed.mutable_closed()->set_reason(command.reason);
  *closed.mutable_closed()->mutable_policy() = PolicyRef();
  return One(std::move(closed));
}

Events HandlingDecider::Decide(const NotifyReceiver& command, const v1::ComplaintView& view) const {
  if (Ended(view)) return std::vector<v1::Envelope>{};
  v1::Envelope notified = At(command.now);
  notified.mutable_receiver_notified()->set_department(command.department);
  notified.mutable_receiver_notified()->set_handler(command.handler);
  return One(std::move(notified));
}

}  // namespace complaints::tracking
