#pragma once
// Serves the methods of a service declared in a .proto (unary, and client-
// or server-streaming) through gRPC's callback API. Requests are parsed
// here, not by gRPC, so bytes that are not
// the request message (or hold a string that is not UTF-8) get
// INVALID_ARGUMENT with a message instead of an empty INTERNAL; handlers run
// on the service's own bounded worker pool, so a blocking store write never
// holds a gRPC thread, and a full queue answers UNAVAILABLE with a retry
// push-back instead of queueing without end. Thread-safe once serving.

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/common.pb.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "libs/runner/spec_runner.h"
#include "libs/server/call_info.h"
#include "libs/server/concurrency_limit.h"
#include "libs/server/server_security.h"
#include "libs/server/stream_reactors.h"
#include "libs/server/worker_pool.h"

namespace complaints {

// The actor of a staff command: the caller as admitted (CallInfo::actor);
// UNAUTHENTICATED when the call was not admitted with one.
absl::StatusOr<v1::Actor> StaffActor(const CallInfo& call);

struct CallbackServiceOptions {
  // Worker threads; 0 runs handlers on gRPC's own callback thread.
  int threads = 8;
  size_t max_queued = 1024;
  // Server streams open at once (each holds a thread while it lasts), in
  // all and per caller identity.
  int max_streams = 64;
  int max_streams_per_identity = 8;
  // Uploads (client streams) open at once, in all and per caller identity.
  int max_uploads = 32;
  int max_uploads_per_identity = 8;
};

class CallbackService : public grpc::Service {
 public:
  // Declares every method of `service` (unary, client- or server-streaming;
  // not bidirectional); a method without a handler answers UNIMPLEMENTED.
  explicit CallbackService(const google::protobuf::ServiceDescriptor* service,
                           CallbackServiceOptions options = {});

  // Admits every call through `security` (which must outlive the service)
  // before its handler runs: the caller's identity and the permission the
  // method requires. Without it every call is refused. REQUIRES: before the
  // service is registered with a server (ServiceHost::Start calls it).
  void Guard(const ServerSecurity* security) { security_ = security; }

  // Told of every unary call once it is answered: the method's name in the
  // .proto, the status code and the time since the call arrived (metrics).
  using CallObserver =
      std::function<void(const std::string& method, grpc::StatusCode code, absl::Duration took)>;
  // REQUIRES: before the service is registered with a server.
  void Observe(CallObserver observer) { observer_ = std::move(observer); }

  // Sets the handler of `method` (its name in the .proto; a name that is not
  // a unary method of the service aborts, so a misspelt one stops every test
  // that builds the service). REQUIRES: before the service is registered
  // with a server.
  template <typename Request, typename Response>
  void Handle(const std::string& method,
              std::function<absl::StatusOr<Response>(const Request&, const CallInfo&)> handler) {
    SetHandler(method,
               [handler](const std::string& bytes, const CallInfo& call,
                         std::string* out) -> absl::Status {
                 Request request;
                 if (absl::Status parsed = Parse(bytes, &request); !parsed.ok()) return parsed;
                 absl::StatusOr<Response> response = handler(request, call);
                 if (!response.ok()) return response.status();
                 if (!response->SerializeToString(out))
                   return absl::InternalError("response: cannot be encoded");
                 return absl::OkStatus();
               });
  }

  // Sets the handler of the client-streaming `method`: `factory` makes an
  // Upload for each call, which sees the first message (Begin: refuse there
  // and nothing more is read), each further one as it arrives (Add), and
  // answers once the client has sent its last (Finish, on the worker pool).
  // At most max_uploads at once, and max_uploads_per_identity for one caller.
  template <typename Request, typename Response>
  class Upload {
   public:
    virtual ~Upload() = default;
    virtual absl::Status Begin(const Request& first) = 0;
    virtual absl::Status Add(const Request& next) = 0;
    virtual absl::StatusOr<Response> Finish() = 0;
  };
  template <typename Request, typename Response>
  void HandleUpload(
      const std::string& method,
      std::function<std::unique_ptr<Upload<Request, Response>>(const CallInfo&)> factory) {
    // Parses each message for the typed upload.
    class Typed final : public UploadSession {
     public:
      explicit Typed(std::unique_ptr<Upload<Request, Response>> upload)
          : upload_(std::move(upload)) {}
      absl::Status Begin(const std::string& bytes) override {
        Request request;
        if (absl::Status parsed = Parse(bytes, &request); !parsed.ok()) return parsed;
        return upload_->Begin(request);
      }
      absl::Status Add(const std::string& bytes) override {
        Request request;
        if (absl::Status parsed = Parse(bytes, &request); !parsed.ok()) return parsed;
        return upload_->Add(request);
      }
      absl::StatusOr<std::string> Finish() override {
        absl::StatusOr<Response> response = upload_->Finish();
        if (!response.ok()) return response.status();
        std::string out;
        if (!response->SerializeToString(&out)) {
          return absl::InternalError("response: cannot be encoded");
        }
        return out;
      }

     private:
      std::unique_ptr<Upload<Request, Response>> upload_;
    };
    SetUpload(method, [factory](const CallInfo& call) -> std::unique_ptr<UploadSession> {
      return std::make_unique<Typed>(factory(call));
    });
  }

  // Sets the handler of the server-streaming `method`. It runs on a thread
  // of its own (a stream may last), sends through `write` (false once the
  // call is cancelled: the handler should return) and may wait for new work
  // with `writer.WaitCancelled`. At most max_streams at once, and
  // max_streams_per_identity for one caller.
  template <typename Request, typename Response>
  void HandleStream(const std::string& method,
                    std::function<absl::Status(const Request&, const CallInfo&,
                                               const std::function<bool(const Response&)>& write,
                                               StreamWriter& writer)>
                        handler) {
    SetStream(
        method,
        [handler](const std::string& bytes, const CallInfo& call,
                  StreamWriter& writer) -> absl::Status {
          Request request;
          if (absl::Status parsed = Parse(bytes, &request); !parsed.ok()) return parsed;
          const std::function<bool(const Response&)> write = [&writer](const Response& response) {
            return writer.Write(response.SerializeAsString());
          };
          return handler(request, call, write, writer);
        });
  }

  // Serves every command `runner`'s spec declares (which must outlive the
  // service), each under its method's name: the actor is the verified
  // caller (StaffActor), never a request field. A method handled already
  // (set before this call) or streamed keeps the service's own handler.
  void HandleCommands(SpecRunner* runner);

  // The methods of the service without a handler (each would answer
  // UNIMPLEMENTED); a service's tests check it is empty.
  std::vector<std::string> Unhandled() const;

  // Sets the handler of a staff command `method`: the actor is the verified
  // caller (StaffActor), never a request field.
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
  void SetUpload(const std::string& method, UploadFactory factory);
  void SetStream(const std::string& method, RawStream handler);
  // The method `method` of the kind given; aborts when the service has none.
  const google::protobuf::MethodDescriptor* Declared(const std::string& method,
                                                     bool client_streaming,
                                                     bool server_streaming) const;
  // Parses `bytes` into `request`. INVALID_ARGUMENT for bytes that are not
  // the message, and for a field the schema does not have (anywhere in the
  // message): a client must not believe the server took what it ignored —
  // a retired `actor` field above all.
  static absl::Status Parse(const std::string& bytes, google::protobuf::Message* request);
  // The caller of a call of method `index`, admitted, or why not.
  absl::StatusOr<CallInfo> Admit(int index, const grpc::CallbackServerContext& context) const;
  grpc::ServerUnaryReactor* StartUnary(int method, grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request, grpc::ByteBuffer* response);

  const google::protobuf::ServiceDescriptor* service_;
  std::deque<std::string> path_storage_;  // method paths; grpc::Service keeps pointers to them
  // By method index; each method has the kind its declaration says.
  std::vector<RawHandler> handlers_;
  std::vector<UploadFactory> uploads_;
  std::vector<RawStream> streams_;
  std::vector<v1::Permission> permissions_;  // by method index: its required_permission
  const ServerSecurity* security_ = nullptr;
  CallObserver observer_;
  ConcurrencyLimit streams_open_;
  ConcurrencyLimit uploads_open_;
  std::unique_ptr<WorkerPool> pool_;  // null: handlers run inline
};

}  // namespace complaints
