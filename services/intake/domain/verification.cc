#include "services/intake/domain/verification.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"

namespace complaints::intake {
namespace {

absl::Status Invalid(absl::string_view path, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", reason));
}

absl::Status Precondition(const std::string& complaint_id, absl::string_view state) {
  return absl::FailedPreconditionError(absl::StrCat("complaint ", complaint_id, " ", state));
}

bool Recorded(const v1::VerificationState& verification) {
  return verification.outcome() != v1::VERIFICATION_OUTCOME_UNSPECIFIED;
}

std::vector<v1::Envelope> One(v1::Envelope event) { return {std::move(event)}; }

}  // namespace

std::optional<ScheduleCallback> CallbackPolicy(const v1::Envelope& event) {
  if (!event.has_classified()) return std::nullopt;
  return ScheduleCallback{event.complaint_id()};
}

absl::StatusOr<VerificationDecider> VerificationDecider::Create(v1::VerificationPolicy policy) {
  if (policy.id().empty()) return Invalid("id", "required");
  if (policy.version() < 1) return Invalid("version", "must be at least 1");
  std::set<int> covered;
  for (int i = 0; i < policy.due_size(); ++i) {
    const std::string path = absl::StrCat("due[", i, "]");
    if (policy.due(i).priority() < v1::PRIORITY_P1 || policy.due(i).priority() > v1::PRIORITY_P4) {
      return Invalid(path + ".priority", "must be P1 to P4");
    }
    if (!covered.insert(policy.due(i).priority()).second)
      return Invalid(path + ".priority", "listed twice");
    if (policy.due(i).minutes() <= 0) return Invalid(path + ".minutes", "must be positive");
  }
  if (covered.size() != 4) return Invalid("due", "every priority P1 to P4 needs a due time");
  if (policy.max_unanswered_attempts() < 1) return Invalid("max_unanswered_attempts", "at least 1");
  for (int i = 0; i < policy.dispatch_before_verification_size(); ++i) {
    const v1::Priority priority = policy.dispatch_before_verification(i);
    if (priority < v1::PRIORITY_P1 || priority > v1::PRIORITY_P4) {
      return Invalid(absl::StrCat("dispatch_before_verification[", i, "]"), "must be P1 to P4");
    }
  }
  return VerificationDecider(std::move(policy));
}

absl::StatusOr<std::vector<v1::Envelope>> VerificationDecider::Decide(
    const ScheduleCallback& command, const v1::ComplaintView& view) const {
  if (view.intake().verification().has_callback_due_at()) return std::vector<v1::Envelope>{};
  if (!view.intake().received() || view.intake().priority() == v1::PRIORITY_UNSPECIFIED) {
    return Precondition(command.complaint_id, "is not received and classified yet");
  }
  const v1::Priority priority = view.intake().priority();
  auto due = std::find_if(policy_.due().begin(), policy_.due().end(),
                          [&](const v1::CallbackDue& d) { return d.priority() == priority; });
  v1::Envelope event;
  v1::CallbackScheduled& scheduled = *event.mutable_callback_scheduled();
  *scheduled.mutable_due_at() =
      ToProto(FromProto(view.intake().received_at()) + absl::Minutes(due->minutes()));
  scheduled.mutable_policy()->set_id(policy_.id());
  scheduled.mutable_policy()->set_version(policy_.version());
  // A possible life-safety complaint does not wait for the call-back (§2.3).
  const auto& early = policy_.dispatch_before_verification();
  scheduled.set_dispatch_before_verification(std::find(early.begin(), early.end(), priority) !=
                                                 early.end() ||
                                             !view.intake().possible_life_safety().empty());
  return One(std::move(event));
}

absl::StatusOr<std::vector<v1::Envelope>> VerificationDecider::Decide(
    const RecordUnansweredCallback& command, const v1::ComplaintView& view) const {
  const v1::VerificationState& verification = view.intake().verification();
  if (!verification.has_callback_due_at())
    return Precondition(command.complaint_id, "has no call-back task");
  if (view.intake().withdrawn()) return Precondition(command.complaint_id, "is withdrawn");
  if (Recorded(verification)) return Precondition(command.complaint_id, "is verified already");
  const int attempt = verification.unanswered_attempts() + 1;
  v1::Envelope unanswered;
  unanswered.mutable_callback_unanswered()->set_attempt(attempt);
  unanswered.mutable_callback_unanswered()->set_note(command.note);
  std::vector<v1::Envelope> events = One(std::move(unanswered));
  if (attempt >= policy_.max_unanswered_attempts()) {
    v1::VerificationRecorded& recorded = *events.emplace_back().mutable_verification_recorded();
    recorded.set_outcome(v1::VERIFICATION_OUTCOME_COULD_NOT_BE_VERIFIED);
    recorded.set_explanation(absl::StrCat("no answer after ", attempt,
                                          " call-back attempts; the complainant is told by "
                                          "message and may contact the centre again"));
    recorded.set_unanswered_attempts(attempt);
    recorded.mutable_policy()->set_id(policy_.id());
    recorded.mutable_policy()->set_version(policy_.version());
  }
  return events;
}

absl::StatusOr<std::vector<v1::Envelope>> VerificationDecider::Decide(
    const RecordVerification& command, const v1::ComplaintView& view) const {
  const v1::VerificationState& verification = view.intake().verification();
  if (!verification.has_callback_due_at())
    return Precondition(command.complaint_id, "has no call-back task");
  if (view.intake().withdrawn()) return Precondition(command.complaint_id, "is withdrawn");
  if (command.outcome == v1::VERIFICATION_OUTCOME_UNSPECIFIED ||
      !v1::VerificationOutcome_IsValid(command.outcome)) {
    return Invalid("outcome", "confirmed, could not be verified, already resolved or withdrew");
  }
  if (Recorded(verification)) {
    if (verification.outcome() == command.outcome) return std::vector<v1::Envelope>{};
    return Precondition(command.complaint_id, "is verified already with another outcome");
  }
  if (command.outcome != v1::VERIFICATION_OUTCOME_CONFIRMED &&
      absl::StripAsciiWhitespace(command.explanation).empty()) {
    return Invalid("explanation", "required: what the complainant was told");
  }
  v1::Envelope event;
  v1::VerificationRecorded& recorded = *event.mutable_verification_recorded();
  recorded.set_outcome(command.outcome);
  recorded.set_explanation(command.explanation);
  recorded.set_unanswered_attempts(verification.unanswered_attempts());
  recorded.mutable_policy()->set_id(policy_.id());
  recorded.mutable_policy()->set_version(policy_.version());
  return One(std::move(event));
}

}  // namespace complaints::intake
