#include "services/intake/domain/intake_decider.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/complaint/labels.h"
#include "libs/complaint/view.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "services/intake/domain/validation.h"

namespace complaints::intake {

absl::StatusOr<std::vector<v1::Envelope>> IntakeDecider::Decide(
    const SubmitComplaint& command, const v1::ComplaintView& view) const {
  ASSIGN_OR_RETURN(const v1::SubmitComplaintRequest request,
                   CleanSubmission(command.request, command.now));
  if (view.intake().received()) return std::vector<v1::Envelope>{};
  return Received(request, command.now);
}

absl::StatusOr<std::vector<v1::Envelope>> IntakeDecider::Decide(
    const ImportCase& command, const v1::ComplaintView& view) const {
  if (view.intake().received()) return std::vector<v1::Envelope>{};
  const ImportedCase& imported = command.imported;
  const v1::HistoricalCase& history = imported.history;
  std::vector<v1::Envelope> events = Received(imported.submission, FromProto(history.opened_at()));
  *events[0].mutable_received()->mutable_history() = history;
  v1::ComplaintClassified& classified = *events[1].mutable_classified();
  if (!imported.category.empty()) {
    classified.set_category(imported.category);
    classified.mutable_rule()->set_id(kImportRule);
    classified.mutable_rule()->set_version(1);
    classified.set_explanation(absl::StrCat("category as recorded by ", history.source_system(),
                                            "; ", classified.explanation()));
  }
  for (v1::Envelope& event : events) {
    *event.mutable_occurred_at() = history.opened_at();
    *event.mutable_recorded_at() = history.opened_at();
  }
  return events;
}

std::vector<v1::Envelope> IntakeDecider::Received(const v1::SubmitComplaintRequest& request,
                                                  absl::Time now) const {
  std::vector<v1::Envelope> events(2);
  v1::ComplaintReceived& received = *events[0].mutable_received();
  received.set_channel(request.channel());
  // Cleaned (validation.h): the phone number is E.164 already; an upper-case X.
  *received.mutable_complainant() = request.complainant();
  received.mutable_complainant()->set_identity_number(
      absl::AsciiStrToUpper(request.complainant().identity_number()));
  received.set_content(request.content());
  received.set_description(request.description());
  *received.mutable_location() = request.location();
  // §2.2 time of the complaint: when the caller does not know it, the time of receipt.
  *received.mutable_occurred_at() =
      request.has_occurred_at() ? request.occurred_at() : ToProto(now);
  *received.mutable_attachments() = request.attachments();
  received.set_idempotency_key(request.idempotency_key());
  *events[1].mutable_classified() = classifier_->Classify(request);
  return events;
}

absl::StatusOr<std::vector<v1::Envelope>> IntakeDecider::Decide(
    const ReclassifyComplaint& command, const v1::ComplaintView& view) const {
  if (!view.intake().received()) {
    return absl::NotFoundError(
        absl::StrCat("complaint ", EscapedPrefix(command.complaint_id), " is not known"));
  }
  if (!command.category.empty() && !classifier_->categories().count(command.category)) {
    return absl::InvalidArgumentError(
        absl::StrCat("category: unknown category \"", EscapedPrefix(command.category), "\""));
  }
  if (!v1::Priority_IsValid(command.priority) || !v1::Complexity_IsValid(command.complexity)) {
    return absl::InvalidArgumentError("priority or complexity: unknown value");
  }
  ASSIGN_OR_RETURN(std::string reason, CleanFreeText("reason", command.reason, kMaxReasonChars,
                                                     /*required=*/true));
  if (view.intake().withdrawn()) {
    return absl::FailedPreconditionError(
        absl::StrCat("complaint ", command.complaint_id, " is withdrawn"));
  }
  const v1::IntakeState& now = view.intake();
  v1::ComplaintReclassified change;
  change.set_category(command.category.empty() ? now.category() : command.category);
  change.set_priority(command.priority == v1::PRIORITY_UNSPECIFIED ? now.priority()
                                                                   : command.priority);
  change.set_complexity(command.complexity == v1::COMPLEXITY_UNSPECIFIED ? now.complexity()
                                                                         : command.complexity);
  if (change.category() == now.category() && change.priority() == now.priority() &&
      change.complexity() == now.complexity()) {
    return std::vector<v1::Envelope>{};
  }
  change.set_reason(std::move(reason));
  change.set_previous_category(now.category());
  change.set_previous_priority(now.priority());
  change.set_previous_complexity(now.complexity());
  std::vector<v1::Envelope> events(1);
  *events[0].mutable_reclassified() = std::move(change);
  return events;
}

absl::StatusOr<std::vector<v1::Envelope>> IntakeDecider::Decide(
    const AttachEvidence& command, const v1::ComplaintView& view) const {
  if (!view.intake().received()) {
    return absl::NotFoundError(
        absl::StrCat("complaint ", EscapedPrefix(command.complaint_id), " is not known"));
  }
  if (view.intake().attachments() >= kMaxAttachments) {
    return absl::FailedPreconditionError(absl::StrCat("complaint ",
                                                      EscapedPrefix(command.complaint_id), " has ",
                                                      kMaxAttachments, " attachments already"));
  }
  ASSIGN_OR_RETURN(v1::Attachment attachment, CleanAttachment("attachment", command.attachment));
  ASSIGN_OR_RETURN(std::string description,
                   CleanFreeText("description", command.description, kMaxReasonChars,
                                 /*required=*/false));
  std::vector<v1::Envelope> events(1);
  *events[0].mutable_evidence_attached()->mutable_attachment() = std::move(attachment);
  events[0].mutable_evidence_attached()->set_description(std::move(description));
  return events;
}

absl::StatusOr<std::vector<v1::Envelope>> IntakeDecider::Decide(
    const RequestErasure& command, const v1::ComplaintView& view) const {
  if (!view.intake().received()) {
    return absl::NotFoundError(
        absl::StrCat("complaint ", EscapedPrefix(command.complaint_id), " is not known"));
  }
  ASSIGN_OR_RETURN(std::string reason, CleanFreeText("reason", command.reason, kMaxReasonChars,
                                                     /*required=*/false));
  if (view.intake().erasure_requested()) return std::vector<v1::Envelope>{};
  std::vector<v1::Envelope> events(1);
  events[0].mutable_erasure_requested()->set_reason(std::move(reason));
  *events[0].mutable_erasure_requested()->mutable_erased_key_ids() = {command.key_ids.begin(),
                                                                      command.key_ids.end()};
  return events;
}

absl::StatusOr<std::vector<v1::Envelope>> IntakeDecider::Decide(
    const ReadPersonalData& command, const v1::ComplaintView& view) const {
  if (!view.intake().received()) {
    return absl::NotFoundError(
        absl::StrCat("complaint ", EscapedPrefix(command.complaint_id), " is not known"));
  }
  ASSIGN_OR_RETURN(std::string reason, CleanFreeText("reason", command.reason, kMaxReasonChars,
                                                     /*required=*/true));
  if (view.intake().erasure_requested()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "complaint ", command.complaint_id, ": the complainant's personal data was erased"));
  }
  std::vector<v1::Envelope> events(1);
  v1::PersonalDataRead& read = *events[0].mutable_personal_data_read();
  read.set_reason(std::move(reason));
  *read.mutable_fields() = {command.fields.begin(), command.fields.end()};
  read.set_export_(command.export_read);
  return events;
}

absl::StatusOr<std::vector<v1::Envelope>> IntakeDecider::Decide(
    const WithdrawComplaint& command, const v1::ComplaintView& view) const {
  if (!view.intake().received()) {
    return absl::NotFoundError(
        absl::StrCat("complaint ", EscapedPrefix(command.complaint_id), " is not known"));
  }
  ASSIGN_OR_RETURN(std::string reason, CleanFreeText("reason", command.reason, kMaxReasonChars,
                                                     /*required=*/true));
  if (view.intake().withdrawn()) return std::vector<v1::Envelope>{};
  const v1::VerificationOutcome outcome = view.intake().verification().outcome();
  if (outcome != v1::VERIFICATION_OUTCOME_UNSPECIFIED &&
      outcome != v1::VERIFICATION_OUTCOME_CONFIRMED) {
    return absl::FailedPreconditionError(
        absl::StrCat("complaint ", command.complaint_id, " was ended by its call-back already (",
                     EnumLabel(v1::VerificationOutcome_descriptor(), outcome), ")"));
  }
  std::vector<v1::Envelope> events(1);
  events[0].mutable_withdrawn()->set_reason(std::move(reason));
  return events;
}

}  // namespace complaints::intake
