// §4.2 personal data: what intake keeps beside its views for it (the sealed
// copy for its mail sender and for reads, a complainant's complaints), the
// audited reads, and the subject-access export.
#include "absl/strings/str_cat.h"
#include "libs/complaint/input.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "libs/runner/consumption.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/topics.h"
#include "libs/runner/write_gate.h"
#include "libs/security/access_policy.h"
#include "services/intake/app/intake_app.h"
#include "services/intake/app/intake_families.h"
#include "services/intake/app/intake_projections.h"
#include "services/intake/domain/personal_data.h"

namespace complaints::intake {
namespace {

// At most this many complaints of one complainant in an export.
constexpr size_t kMaxExportedComplaints = 1000;

}  // namespace

absl::StatusOr<v1::ComplaintView> IntakeApp::StoredView(const std::string& complaint_id) const {
  ASSIGN_OR_RETURN(
      std::optional<std::string> stored,
      options_.parts.store->Get(Family::kState,
                                ComplaintKey(complaint_id, options_.parts.store->partitions())));
  v1::ComplaintView view;
  if (stored.has_value() && !view.ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("stored view of ", complaint_id, " is corrupt"));
  }
  return view;
}

absl::StatusOr<std::optional<v1::PersonalData>> IntakeApp::Unseal(
    const std::string& complaint_id) const {
  ASSIGN_OR_RETURN(
      std::optional<std::string> stored,
      options_.parts.store->Get(kContactsFamily,
                                ComplaintKey(complaint_id, options_.parts.store->partitions())));
  v1::SealedData sealed;
  if (!stored.has_value() || !sealed.ParseFromString(*stored) || sealed.key_id().empty()) {
    return std::nullopt;
  }
  ASSIGN_OR_RETURN(const SecretKey key, options_.keys->Get(sealed.key_id()));
  ASSIGN_OR_RETURN(v1::PersonalData personal, OpenPersonalData(sealed, complaint_id, key));
  return personal;
}

absl::Status IntakeApp::RecordRead(const std::string& complaint_id, const v1::Actor& actor,
                                   const std::string& reason,
                                   const std::vector<std::string>& fields, bool export_read) {
  // Recorded durably (the act is the person's) before anything is shown.
  return runner_
      .Run(Act{.complaint_id = complaint_id,
               .causation_id = absl::StrCat("personal-data-read:", actor.id()),
               .actor = actor},
           Decide(&decider_, ReadPersonalData{complaint_id, reason, fields, export_read}))
      .status();
}

absl::StatusOr<IntakeApp::ReadRequest> IntakeApp::CheckRead(std::string complaint_id,
                                                            const std::string& reason) const {
  RETURN_IF_ERROR(CleanField("complaint_id", &complaint_id, kMaxComplaintIdBytes,
                             TextShape::kSingleLine, Presence::kRequired));
  ASSIGN_OR_RETURN(std::string cleaned,
                   CleanFreeText("reason", reason, kMaxReasonChars, /*required=*/true));
  ASSIGN_OR_RETURN(v1::ComplaintView view, StoredView(complaint_id));
  if (!view.intake().received()) {
    return absl::NotFoundError(
        absl::StrCat("complaint ", EscapedPrefix(complaint_id), " is not known"));
  }
  return ReadRequest{std::move(complaint_id), std::move(cleaned), std::move(view)};
}

absl::StatusOr<v1::GetPersonalDataResponse> IntakeApp::GetPersonalData(
    const v1::GetPersonalDataRequest& request, const v1::Actor& actor,
    const PersonalDataAccess& access) {
  ASSIGN_OR_RETURN(const ReadRequest read, CheckRead(request.complaint_id(), request.reason()));
  const std::string& complaint_id = read.complaint_id;
  const std::string& reason = read.reason;
  const v1::ComplaintView& view = read.view;
  RETURN_IF_ERROR(
      CheckHolding(actor, complaint_id, view.dispatch().department(), view.dispatch().handler()));
  if (view.intake().erasure_requested()) {
    return absl::FailedPreconditionError(
        absl::StrCat("complaint ", complaint_id, ": the complainant's personal data was erased"));
  }
  ASSIGN_OR_RETURN(std::optional<v1::PersonalData> personal, Unseal(complaint_id));
  if (!personal.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("complaint ", complaint_id, " holds no sealed personal data"));
  }
  const std::vector<std::string> shown = Redact(access, &*personal);
  RETURN_IF_ERROR(RecordRead(complaint_id, actor, reason, shown, false));
  v1::GetPersonalDataResponse response;
  response.set_complaint_id(complaint_id);
  *response.mutable_personal() = *std::move(personal);
  return response;
}

absl::StatusOr<v1::ExportPersonalDataResponse> IntakeApp::ExportPersonalData(
    const v1::ExportPersonalDataRequest& request, const v1::Actor& actor) {
  ASSIGN_OR_RETURN(const ReadRequest read, CheckRead(request.complaint_id(), request.reason()));
  const std::string& complaint_id = read.complaint_id;
  const std::string& reason = read.reason;
  const std::string& subject = read.view.intake().subject_id();
  std::vector<std::string> complaint_ids;
  if (subject.empty()) {
    complaint_ids.push_back(complaint_id);  // recorded before sealing: itself alone
  } else {
    RETURN_IF_ERROR(options_.parts.store->Scan(
        kSubjectsFamily, absl::StrCat(subject, "/"), absl::StrCat(subject, "0"),
        kMaxExportedComplaints, [&](absl::string_view key, absl::string_view) {
          complaint_ids.emplace_back(key.substr(subject.size() + 1));
          return true;
        }));
  }
  v1::ExportPersonalDataResponse response;
  response.set_subject_id(subject);
  for (const std::string& id : complaint_ids) {
    ASSIGN_OR_RETURN(const v1::ComplaintView view, StoredView(id));
    v1::SubjectComplaint& entry = *response.add_complaints();
    entry.set_complaint_id(id);
    *entry.mutable_intake() = view.intake();
    absl::StatusOr<std::optional<v1::PersonalData>> personal =
        view.intake().erasure_requested() ? absl::FailedPreconditionError("erased") : Unseal(id);
    if (absl::IsFailedPrecondition(personal.status())) {
      entry.set_erased(true);
      continue;
    }
    if (!personal.ok()) return personal.status();
    if (!personal->has_value()) continue;
    *entry.mutable_personal() = **std::move(personal);
    v1::PersonalData shown = entry.personal();
    RETURN_IF_ERROR(
        RecordRead(id, actor, reason, Redact({.contact = true, .identity = true}, &shown), true));
  }
  return response;
}

}  // namespace complaints::intake
