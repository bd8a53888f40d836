#include "libs/server/admin_service.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/server/grpc_status.h"

namespace complaints {
namespace {

constexpr size_t kMaxIdBytes = 300;

absl::Status CheckId(const std::string& id) {
  if (id.empty()) return absl::InvalidArgumentError("id: required");
  if (id.size() > kMaxIdBytes) {
    return absl::InvalidArgumentError(absl::StrCat("id: longer than ", kMaxIdBytes, " bytes"));
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status AdminService::GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*,
                                     v1::GetStatusResponse* response) {
  sources_.status(response);
  response->set_dead_letters(sources_.dead_letters->total());
  for (const auto& [kind, count] : sources_.dead_letters->by_kind()) {
    (*response->mutable_dead_letters_by_kind())[kind] = count;
  }
  if (sources_.applier != nullptr) response->mutable_consumer()->set_parked(sources_.applier->parked());
  return grpc::Status::OK;
}

grpc::Status AdminService::ListDeadLetters(grpc::ServerContext*,
                                           const v1::ListDeadLettersRequest* request,
                                           v1::ListDeadLettersResponse* response) {
  if (request->page_token().size() > kMaxIdBytes) {
    return ToGrpcStatus(absl::InvalidArgumentError("page_token: not a token this service gave"));
  }
  absl::StatusOr<v1::ListDeadLettersResponse> page =
      sources_.dead_letters->List(request->page_size(), request->page_token());
  if (page.ok()) *response = *std::move(page);
  return ToGrpcStatus(page.status());
}

grpc::Status AdminService::GetDeadLetter(grpc::ServerContext*, const v1::GetDeadLetterRequest* request,
                                         v1::DeadLetter* response) {
  if (absl::Status status = CheckId(request->id()); !status.ok()) return ToGrpcStatus(status);
  absl::StatusOr<v1::DeadLetter> letter = sources_.dead_letters->Get(request->id());
  if (letter.ok()) *response = *std::move(letter);
  return ToGrpcStatus(letter.status());
}

grpc::Status AdminService::RetryDeadLetter(grpc::ServerContext*,
                                           const v1::RetryDeadLetterRequest* request,
                                           v1::RetryDeadLetterResponse* response) {
  if (absl::Status status = CheckId(request->id()); !status.ok()) return ToGrpcStatus(status);
  absl::StatusOr<v1::DeadLetter> letter = sources_.dead_letters->Get(request->id());
  if (!letter.ok()) return ToGrpcStatus(letter.status());
  absl::StatusOr<std::string> outcome;
  if (letter->record().partition() < 0) {
    outcome = sources_.requeue(*letter);
  } else if (sources_.applier != nullptr) {
    outcome = sources_.applier->Retry(*letter);
  } else {
    outcome = absl::FailedPreconditionError("this service consumes nothing");
  }
  if (outcome.ok()) response->set_outcome(*outcome);
  return ToGrpcStatus(outcome.status());
}

}  // namespace complaints
