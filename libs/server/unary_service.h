#pragma once
// Serves the unary methods of a service declared in a .proto through gRPC's
// callback API. Requests are parsed here, not by gRPC, so bytes that are not
// the request message (or hold a string that is not UTF-8) get
// INVALID_ARGUMENT with a message instead of an empty INTERNAL; handlers run
// on the service's own bounded worker pool, so a blocking store write never
// holds a gRPC thread, and a full queue answers UNAVAILABLE with a retry
// push-back instead of queueing without end. Thread-safe once serving.

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "complaints/v1/common.pb.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "libs/server/worker_pool.h"

namespace complaints {

// What a handler may know about the call besides the request.
struct CallInfo {
  std::string peer;  // "ipv4:127.0.0.1:53012"
  // Who the caller says it is (x-client-id metadata, at most 64 bytes), else the peer.
  std::string client;
  // The person or system acting (x-actor-id, x-actor-role metadata, each cut
  // at 256 bytes; checked by StaffActor). Until verified identities replace
  // them, metadata, never a request field, names who did something.
  std::string actor_id;
  std::string actor_role;
};

// The actor of a staff command: UNAUTHENTICATED without x-actor-id;
// INVALID_ARGUMENT when id or role is not single-line text of at most 64
// characters.
absl::StatusOr<v1::Actor> StaffActor(const CallInfo& call);

struct UnaryServiceOptions {
  // Worker threads; 0 runs handlers on gRPC's own callback thread.
  int threads = 8;
  size_t max_queued = 1024;
};

class UnaryService : public grpc::Service {
 public:
  // Declares every method of `service`; a method without a handler answers
  // UNIMPLEMENTED. REQUIRES: all of them are unary.
  explicit UnaryService(const google::protobuf::ServiceDescriptor* service,
                        UnaryServiceOptions options = {});

  // Sets the handler of `method` (its name in the .proto). REQUIRES: before
  // the service is registered with a server.
  template <typename Request, typename Response>
  void Handle(const std::string& method,
              std::function<absl::StatusOr<Response>(const Request&, const CallInfo&)> handler) {
    SetHandler(method,
               [handler](const std::string& bytes, const CallInfo& call,
                         std::string* out) -> absl::Status {
                 Request request;
                 if (!request.ParseFromString(bytes))
                   return Unparseable(Request::descriptor()->full_name());
                 absl::StatusOr<Response> response = handler(request, call);
                 if (!response.ok()) return response.status();
                 if (!response->SerializeToString(out))
                   return absl::InternalError("response: cannot be encoded");
                 return absl::OkStatus();
               });
  }

  // Sets the handler of a staff command `method`: the actor comes from the
  // call's metadata (StaffActor), never from the request.
  template <typename App, typename Request, typename Response>
  void StaffHandle(const std::string& method, App* app,
                   absl::StatusOr<Response> (App::*command)(const Request&, const v1::Actor&)) {
    Handle<Request, Response>(
        method,
        [app, command](const Request& request, const CallInfo& call) -> absl::StatusOr<Response> {
          absl::StatusOr<v1::Actor> actor = StaffActor(call);
          if (!actor.ok()) return actor.status();
          return (app->*command)(request, *actor);
        });
  }

 private:
  using RawHandler = std::function<absl::Status(const std::string&, const CallInfo&, std::string*)>;
  void SetHandler(const std::string& method, RawHandler handler);
  static absl::Status Unparseable(const std::string& type);

  const google::protobuf::ServiceDescriptor* service_;
  std::deque<std::string> path_storage_;  // method paths; grpc::Service keeps pointers to them
  std::vector<RawHandler> handlers_;      // by method index
  std::unique_ptr<WorkerPool> pool_;      // null: handlers run inline
};

}  // namespace complaints
