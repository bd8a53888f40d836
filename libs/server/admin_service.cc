#include "libs/server/admin_service.h"

#include "absl/strings/str_cat.h"
#include "complaints/v1/admin.grpc.pb.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"

namespace complaints {
namespace {

constexpr size_t kMaxIdBytes = 300;

absl::Status CheckId(absl::string_view field, const std::string& id, bool required) {
  if (required && id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (id.size() > kMaxIdBytes) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": longer than ", kMaxIdBytes, " bytes"));
  }
  return absl::OkStatus();
}

}  // namespace

AdminService::AdminService(AdminSources sources)
    : CallbackService(v1::GetStatusRequest::descriptor()->file()->FindServiceByName("AdminService"),
                      {.threads = 2, .max_queued = 64}),
      sources_(std::move(sources)) {
  Handle<v1::GetStatusRequest, v1::GetStatusResponse>(
      "GetStatus", [this](const v1::GetStatusRequest&, const CallInfo&) { return GetStatus(); });
  Handle<v1::ListDeadLettersRequest, v1::ListDeadLettersResponse>(
      "ListDeadLetters",
      [this](const v1::ListDeadLettersRequest& request,
             const CallInfo&) -> absl::StatusOr<v1::ListDeadLettersResponse> {
        RETURN_IF_ERROR(CheckId("page_token", request.page_token(), false));
        return sources_.dead_letters->List(request.page_size(), request.page_token());
      });
  Handle<v1::GetDeadLetterRequest, v1::GetDeadLetterResponse>(
      "GetDeadLetter",
      [this](const v1::GetDeadLetterRequest& request,
             const CallInfo&) -> absl::StatusOr<v1::GetDeadLetterResponse> {
        RETURN_IF_ERROR(CheckId("id", request.id(), true));
        v1::GetDeadLetterResponse response;
        ASSIGN_OR_RETURN(*response.mutable_dead_letter(), sources_.dead_letters->Get(request.id()));
        return response;
      });
  Handle<v1::RetryDeadLetterRequest, v1::RetryDeadLetterResponse>(
      "RetryDeadLetter", [this](const v1::RetryDeadLetterRequest& request, const CallInfo&) {
        return Retry(request.id());
      });
  Handle<v1::GetCentreRequest, v1::GetCentreResponse>(
      "GetCentre", [this](const v1::GetCentreRequest&, const CallInfo&) {
        v1::GetCentreResponse response;
        response.set_time_zone(sources_.time_zone);
        return absl::StatusOr<v1::GetCentreResponse>(std::move(response));
      });
  Handle<v1::AdvanceClockRequest, v1::AdvanceClockResponse>(
      "AdvanceClock", [this](const v1::AdvanceClockRequest& request, const CallInfo&) {
        return AdvanceClock(request);
      });
  Handle<v1::CreateBackupRequest, v1::CreateBackupResponse>(
      "CreateBackup", [this](const v1::CreateBackupRequest&, const CallInfo&) {
        return sources_.backups->Create();
      });
  Handle<v1::ListBackupsRequest, v1::ListBackupsResponse>(
      "ListBackups",
      [this](const v1::ListBackupsRequest&, const CallInfo&) { return sources_.backups->List(); });
}

absl::StatusOr<v1::AdvanceClockResponse> AdminService::AdvanceClock(
    const v1::AdvanceClockRequest& request) const {
  if (sources_.test_clock == nullptr) {
    return absl::FailedPreconditionError(
        "AdvanceClock: this service was not started with --test_mode; its clock is the wall "
        "clock");
  }
  const google::protobuf::Duration& by = request.by();
  constexpr int64_t kMaxSeconds = int64_t{400} * 24 * 3600;
  if (by.seconds() < 1 || by.seconds() > kMaxSeconds || by.nanos() < 0 ||
      by.nanos() > 999'999'999) {
    return absl::InvalidArgumentError("by: 1 second to 400 days");
  }
  v1::AdvanceClockResponse response;
  *response.mutable_now() = ToProto(
      sources_.test_clock->Advance(absl::Seconds(by.seconds()) + absl::Nanoseconds(by.nanos())));
  return response;
}

absl::StatusOr<v1::GetStatusResponse> AdminService::GetStatus() const {
  v1::GetStatusResponse response;
  sources_.status(&response);
  response.set_dead_letters(sources_.dead_letters->total());
  for (const auto& [kind, count] : sources_.dead_letters->by_kind()) {
    (*response.mutable_dead_letters_by_kind())[kind] = count;
  }
  if (sources_.applier != nullptr) {
    response.mutable_consumer()->set_parked(sources_.applier->parked());
    response.mutable_consumer()->set_parked_since_start(sources_.applier->parked_since_start());
  }
  return response;
}

absl::StatusOr<v1::RetryDeadLetterResponse> AdminService::Retry(const std::string& id) const {
  RETURN_IF_ERROR(CheckId("id", id, true));
  ASSIGN_OR_RETURN(v1::DeadLetter letter, sources_.dead_letters->Get(id));
  absl::StatusOr<std::string> outcome;
  if (letter.record().partition() < 0) {
    outcome = sources_.requeue(letter);
  } else if (sources_.applier != nullptr) {
    outcome = sources_.applier->Retry(letter);
  } else {
    outcome = absl::FailedPreconditionError("this service consumes nothing");
  }
  if (!outcome.ok()) return outcome.status();
  v1::RetryDeadLetterResponse response;
  response.set_outcome(*outcome);
  return response;
}

}  // namespace complaints
