#include "libs/runner/staff_commands.h"

#include "absl/strings/str_cat.h"
#include "libs/complaint/input.h"
#include "libs/complaint/labels.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/runner/consumption.h"

namespace complaints {
bool KnownComplaint(const v1::ComplaintView& view) {
  return view.intake().received() || view.dispatch().applied_sequence() > 0 ||
         view.tracking().handling().status() != v1::HANDLING_STATUS_UNSPECIFIED;
}

std::string HandlingStatusLabel(v1::HandlingStatus status) {
  return EnumLabel(v1::HandlingStatus_descriptor(), status);
}

void OutcomeOf(const v1::ComplaintView& view, google::protobuf::Message* answer) {
  auto* outcome = static_cast<v1::CommandOutcome*>(answer);
  const v1::TrackingState& tracking = view.tracking();
  outcome->set_complaint_id(view.complaint_id());
  outcome->set_status(tracking.handling().status());
  outcome->set_department(view.dispatch().department());
  outcome->set_handler(view.dispatch().handler());
  if (tracking.has_respond_by()) *outcome->mutable_respond_by() = tracking.respond_by();
  if (tracking.has_resolve_by()) *outcome->mutable_resolve_by() = tracking.resolve_by();
  const auto& pauses = tracking.sla().pauses();
  outcome->set_clock_paused(!pauses.empty() && !pauses.rbegin()->has_to());
  outcome->set_pending_extension(tracking.handling().pending_extension());
  outcome->set_verification(view.intake().verification().outcome());
  outcome->set_unanswered_attempts(view.intake().verification().unanswered_attempts());
}

absl::Status CheckStaffRequest(const std::string& idempotency_key,
                               const std::string& complaint_id) {
  RETURN_IF_ERROR(CheckIdempotencyKey(idempotency_key));
  if (complaint_id.empty()) return InvalidField("complaint_id", "required");
  if (complaint_id.size() > kMaxComplaintIdBytes) {
    return InvalidField("complaint_id",
                        absl::StrCat("longer than ", kMaxComplaintIdBytes, " bytes"));
  }
  return absl::OkStatus();
}

absl::Status Explained(absl::string_view command, const absl::Status& refusal,
                       const v1::ComplaintView& view) {
  std::string message = absl::StrCat(command, ": ", refusal.message());
  if (refusal.code() == absl::StatusCode::kFailedPrecondition &&
      view.tracking().handling().status() != v1::HANDLING_STATUS_UNSPECIFIED) {
    absl::StrAppend(&message, " (it is ", HandlingStatusLabel(view.tracking().handling().status()),
                    ")");
  }
  return absl::Status(refusal.code(), message);
}

}  // namespace complaints
