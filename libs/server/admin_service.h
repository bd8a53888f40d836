#pragma once
// The Admin API (admin.proto) every service serves beside its own: status of
// the consumer and the relay, and the dead letters with their re-drive.
// Handlers only translate; the runtime owns what they read. Thread-safe.

#include <functional>

#include "complaints/v1/admin.grpc.pb.h"
#include "libs/runner/consumed_batch.h"
#include "libs/runner/dead_letters.h"

namespace complaints {

struct AdminSources {
  DeadLetters* dead_letters = nullptr;
  ConsumedApplier* applier = nullptr;  // null for a service that consumes nothing
  // Fills the consumer and relay parts of the status.
  std::function<void(v1::GetStatusResponse*)> status;
  // Puts an outbox entry's dead letter back into the outbox ("REQUEUED").
  std::function<absl::StatusOr<std::string>(const v1::DeadLetter&)> requeue;
};

class AdminService final : public v1::Admin::Service {
 public:
  explicit AdminService(AdminSources sources) : sources_(std::move(sources)) {}

  grpc::Status GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*,
                         v1::GetStatusResponse* response) override;
  grpc::Status ListDeadLetters(grpc::ServerContext*, const v1::ListDeadLettersRequest* request,
                               v1::ListDeadLettersResponse* response) override;
  grpc::Status GetDeadLetter(grpc::ServerContext*, const v1::GetDeadLetterRequest* request,
                             v1::DeadLetter* response) override;
  grpc::Status RetryDeadLetter(grpc::ServerContext*, const v1::RetryDeadLetterRequest* request,
                               v1::RetryDeadLetterResponse* response) override;

 private:
  AdminSources sources_;
};

}  // namespace complaints
