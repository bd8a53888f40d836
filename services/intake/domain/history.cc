#include "services/intake/domain/history.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/complaint/input.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "services/intake/domain/validation.h"

namespace complaints::intake {
namespace {

absl::Status CleanLine(absl::string_view field, std::string* text, size_t max_chars,
                       Presence presence) {
  return CleanField(field, text, max_chars, TextShape::kSingleLine, presence);
}

// A history time, when present (or `required`): a real time from 2000 on.
absl::Status CheckTime(absl::string_view field, bool present, const google::protobuf::Timestamp& at,
                       bool required) {
  if (!present) return required ? InvalidField(field, "required") : absl::OkStatus();
  if (at.nanos() < 0 || at.nanos() > 999'999'999) {
    return InvalidField(absl::StrCat(field, ".nanos"), "must be between 0 and 999999999");
  }
  if (FromProto(at) < kEarliestOccurredAt) return InvalidField(field, "before 2000-01-01");
  return absl::OkStatus();
}

absl::Status CleanHistory(v1::HistoricalCase& history, absl::Time now) {
  RETURN_IF_ERROR(CleanLine("history.source_system", history.mutable_source_system(),
                            kMaxSourceSystemChars, Presence::kRequired));
  if (absl::StrContains(history.source_system(), ':')) {
    return InvalidField("history.source_system", "must not contain ':'");
  }
  RETURN_IF_ERROR(CleanLine("history.source_id", history.mutable_source_id(), kMaxSourceIdChars,
                            Presence::kRequired));
  RETURN_IF_ERROR(CheckTime("history.opened_at", history.has_opened_at(), history.opened_at(),
                            /*required=*/true));
  RETURN_IF_ERROR(CheckTime("history.target_at", history.has_target_at(), history.target_at(),
                            /*required=*/false));
  RETURN_IF_ERROR(CheckTime("history.closed_at", history.has_closed_at(), history.closed_at(),
                            /*required=*/false));
  const absl::Time opened = FromProto(history.opened_at());
  if (opened > now + kClockSkew) return InvalidField("history.opened_at", "is in the future");
  if (history.has_target_at() && FromProto(history.target_at()) < opened) {
    return InvalidField("history.target_at", "before opened_at");
  }
  if (history.closed() && !history.has_closed_at()) {
    return InvalidField("history.closed_at", "required for a closed case");
  }
  if (!history.closed() && history.has_closed_at()) {
    return InvalidField("history.closed_at", "given for a case that is not closed");
  }
  if (history.has_closed_at()) {
    const absl::Time closed = FromProto(history.closed_at());
    if (closed < opened) return InvalidField("history.closed_at", "before opened_at");
    if (closed > now + kClockSkew) return InvalidField("history.closed_at", "is in the future");
  }
  if (history.has_source_closed_at()) {
    // A closed time moved to the opening (clocks that disagreed): kept as
    // the source gave it, and only as that.
    RETURN_IF_ERROR(CheckTime("history.source_closed_at", true, history.source_closed_at(), true));
    const absl::Time source_closed = FromProto(history.source_closed_at());
    if (!history.has_closed_at() || FromProto(history.closed_at()) != opened) {
      return InvalidField("history.source_closed_at", "only with closed_at moved to opened_at");
    }
    if (source_closed >= opened || opened - source_closed > kMaxClosedBeforeOpened) {
      return InvalidField("history.source_closed_at",
                          absl::StrCat("must be before opened_at by at most ",
                                       absl::FormatDuration(kMaxClosedBeforeOpened)));
    }
  }
  RETURN_IF_ERROR(CleanLine("history.department", history.mutable_department(), kMaxOrgNameChars,
                            Presence::kOptional));
  RETURN_IF_ERROR(
      CleanLine("history.team", history.mutable_team(), kMaxOrgNameChars, Presence::kOptional));
  RETURN_IF_ERROR(CleanLine("history.handler", history.mutable_handler(), kMaxOrgNameChars,
                            Presence::kOptional));
  RETURN_IF_ERROR(
      CleanLine("history.status", history.mutable_status(), kMaxStatusChars, Presence::kOptional));
  RETURN_IF_ERROR(CleanField("history.closure", history.mutable_closure(), kMaxClosureChars,
                             TextShape::kMultiLine, Presence::kOptional));
  if (history.satisfaction() < 0 || history.satisfaction() > 5) {
    return InvalidField("history.satisfaction", "between 1 and 5, or 0 when not recorded");
  }
  if (history.has_imported_at()) {
    return InvalidField("history.imported_at", "set by intake, not by the caller");
  }
  *history.mutable_imported_at() = ToProto(now);
  return absl::OkStatus();
}

}  // namespace

std::string ImportKey(const v1::HistoricalCase& history) {
  return absl::StrCat("import:", history.source_system(), ":", history.source_id());
}

absl::StatusOr<ImportedCase> CleanImport(v1::ImportCaseRequest request, absl::Time now) {
  if (!request.has_history()) return InvalidField("history", "required");
  ImportedCase imported;
  imported.history = std::move(*request.mutable_history());
  RETURN_IF_ERROR(CleanHistory(imported.history, now));
  RETURN_IF_ERROR(
      CleanLine("category", request.mutable_category(), kMaxOrgNameChars, Presence::kOptional));
  imported.category = std::move(*request.mutable_category());
  v1::SubmitComplaintRequest& submission = imported.submission;
  submission.set_idempotency_key(ImportKey(imported.history));
  submission.set_channel(request.channel());
  *submission.mutable_complainant() = std::move(*request.mutable_complainant());
  submission.set_content(std::move(*request.mutable_content()));
  submission.set_description(std::move(*request.mutable_description()));
  *submission.mutable_location() = std::move(*request.mutable_location());
  *submission.mutable_occurred_at() = imported.history.opened_at();
  ASSIGN_OR_RETURN(imported.submission, CleanImportedSubmission(std::move(submission), now));
  return imported;
}

}  // namespace complaints::intake
