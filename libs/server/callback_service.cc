#include "libs/server/callback_service.h"

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "absl/strings/str_cat.h"
#include "complaints/v1/access.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/unknown_field_set.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/support/byte_buffer.h"
#include "libs/core/clock.h"
#include "libs/core/status_macros.h"
#include "libs/server/grpc_status.h"

namespace complaints {
namespace {

constexpr char kPushback[] = "grpc-retry-pushback-ms";
// The path of the first field the schema does not know ("9", "location.7"), if any.
std::optional<std::string> FirstUnknownField(const google::protobuf::Message& message) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  const google::protobuf::UnknownFieldSet& unknown = reflection->GetUnknownFields(message);
  if (!unknown.empty()) return absl::StrCat(unknown.field(0).number());
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const int count = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      const google::protobuf::Message& inner =
          field->is_repeated() ? reflection->GetRepeatedMessage(message, field, i)
                               : reflection->GetMessage(message, field);
      if (std::optional<std::string> found = FirstUnknownField(inner)) {
        return absl::StrCat(field->name(), ".", *found);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<v1::Actor> StaffActor(const CallInfo& call) {
  if (call.actor.id().empty()) return absl::UnauthenticatedError("the caller: not identified");
  return call.actor;
}

absl::StatusOr<CallInfo> CallbackService::Admit(int index,
                                                const grpc::CallbackServerContext& context) const {
  if (security_ == nullptr) return absl::UnavailableError("service: not secured; refusing calls");
  CallInfo call;
  RETURN_IF_ERROR(security_->Admit(context, permissions_[static_cast<size_t>(index)], &call));
  return call;
}

absl::Status CallbackService::Parse(const std::string& bytes, google::protobuf::Message* request) {
  if (!request->ParseFromString(bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat("request: not a valid ", request->GetDescriptor()->full_name(),
                     " (malformed bytes, or a text field that is not UTF-8)"));
  }
  if (std::optional<std::string> unknown = FirstUnknownField(*request)) {
    return absl::InvalidArgumentError(absl::StrCat("request: field ", *unknown, " is not part of ",
                                                   request->GetDescriptor()->full_name(),
                                                   " (a client built from another schema?)"));
  }
  return absl::OkStatus();
}

CallbackService::CallbackService(const google::protobuf::ServiceDescriptor* service,
                                 CallbackServiceOptions options)
    : service_(service),
      handlers_(static_cast<size_t>(service->method_count())),
      uploads_(static_cast<size_t>(service->method_count())),
      streams_(static_cast<size_t>(service->method_count())),
      permissions_(static_cast<size_t>(service->method_count())),
      streams_open_("streams", options.max_streams, options.max_streams_per_identity),
      uploads_open_("uploads", options.max_uploads, options.max_uploads_per_identity),
      pool_(options.threads > 0 ? std::make_unique<WorkerPool>(options.threads, options.max_queued)
                                : nullptr) {
  using grpc::internal::RpcMethod;
  for (int i = 0; i < service->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = service->method(i);
    path_storage_.push_back(absl::StrCat("/", service->full_name(), "/", method->name()));
    const char* path = path_storage_.back().c_str();
    const auto index = static_cast<size_t>(i);
    permissions_[index] = method->options().GetExtension(v1::required_permission);
    if (method->client_streaming()) {
      AddMethod(new grpc::internal::RpcServiceMethod(path, RpcMethod::CLIENT_STREAMING, nullptr));
      MarkMethodRawCallback(
          i, new grpc::internal::CallbackClientStreamingHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
                 [this, i, index](grpc::CallbackServerContext* context, grpc::ByteBuffer* response)
                     -> grpc::ServerReadReactor<grpc::ByteBuffer>* {
                   absl::StatusOr<CallInfo> call = Admit(i, *context);
                   if (!call.ok()) return RefuseUpload(call.status());
                   const UploadFactory& factory = uploads_[index];
                   if (!factory) return RefuseUpload(absl::UnimplementedError("not served here"));
                   return StartUpload(context, response, factory, *call, &uploads_open_,
                                      pool_.get());
                 }));
    } else if (method->server_streaming()) {
      AddMethod(new grpc::internal::RpcServiceMethod(path, RpcMethod::SERVER_STREAMING, nullptr));
      MarkMethodRawCallback(
          i,
          new grpc::internal::CallbackServerStreamingHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
              [this, i, index](
                  grpc::CallbackServerContext* context,
                  const grpc::ByteBuffer* request) -> grpc::ServerWriteReactor<grpc::ByteBuffer>* {
                absl::StatusOr<CallInfo> call = Admit(i, *context);
                if (!call.ok()) return RefuseStream(call.status());
                static const RawStream kUnserved = [](const std::string&, const CallInfo&,
                                                      StreamWriter&) {
                  return absl::UnimplementedError("not served here");
                };
                const RawStream& handler = streams_[index] ? streams_[index] : kUnserved;
                return StartStream(context, Flatten(*request), handler, *call, &streams_open_);
              }));
    } else {
      AddMethod(new grpc::internal::RpcServiceMethod(path, RpcMethod::NORMAL_RPC, nullptr));
      MarkMethodRawCallback(
          i, new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
                 [this, i](grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                           grpc::ByteBuffer* response) {
                   return StartUnary(i, context, request, response);
                 }));
    }
  }
}

grpc::ServerUnaryReactor* CallbackService::StartUnary(int method,
                                                      grpc::CallbackServerContext* context,
                                                      const grpc::ByteBuffer* request,
                                                      grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // Every answer goes through here, so the observer sees each call once.
  auto finish = [this, reactor, method, arrived = Stopwatch()](const grpc::Status& status) {
    if (observer_) {
      observer_(service_->method(method)->name(), status.error_code(), arrived.Elapsed());
    }
    reactor->Finish(status);
  };
  const RawHandler& handler = handlers_[static_cast<size_t>(method)];
  if (!handler) {
    finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "not served here"));
    return reactor;
  }
  absl::StatusOr<CallInfo> admitted = Admit(method, *context);
  if (!admitted.ok()) {
    finish(ToGrpcStatus(admitted.status()));
    return reactor;
  }
  auto work = [context, finish, request, response, &handler, call = *std::move(admitted)] {
    std::string out;
    absl::Status status = handler(Flatten(*request), call, &out);
    if (status.ok()) {
      grpc::Slice slice(out);
      *response = grpc::ByteBuffer(&slice, 1);
    }
    // Overload answers tell well-behaved clients when to come back.
    if (status.code() == absl::StatusCode::kUnavailable ||
        status.code() == absl::StatusCode::kResourceExhausted) {
      context->AddTrailingMetadata(kPushback, "1000");
    }
    finish(ToGrpcStatus(status));
  };
  if (!pool_) {
    work();
  } else if (!pool_->Submit(work)) {
    context->AddTrailingMetadata(kPushback, "1000");
    finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "server busy: too many calls waiting; retry in a second"));
  }
  return reactor;
}

const google::protobuf::MethodDescriptor* CallbackService::Declared(const std::string& method,
                                                                    bool client_streaming,
                                                                    bool server_streaming) const {
  const google::protobuf::MethodDescriptor* found = service_->FindMethodByName(method);
  if (found == nullptr || found->client_streaming() != client_streaming ||
      found->server_streaming() != server_streaming) {
    std::fprintf(stderr, "%s has no %s method %s\n", service_->full_name().c_str(),
                 client_streaming   ? "client-streaming"
                 : server_streaming ? "server-streaming"
                                    : "unary",
                 method.c_str());
    std::abort();
  }
  return found;
}

void CallbackService::SetHandler(const std::string& method, RawHandler handler) {
  handlers_[static_cast<size_t>(Declared(method, false, false)->index())] = std::move(handler);
}

void CallbackService::SetUpload(const std::string& method, UploadFactory factory) {
  uploads_[static_cast<size_t>(Declared(method, true, false)->index())] = std::move(factory);
}

void CallbackService::HandleCommands(SpecRunner* runner) {
  for (const CommandSpec& command : runner->spec().commands) {
    const google::protobuf::MethodDescriptor* method = command.method;
    // A streamed upload, or a method with a handler of its own (a rate-limited submission).
    if (method->client_streaming() || handlers_[static_cast<size_t>(method->index())]) continue;
    google::protobuf::MessageFactory* factory =
        google::protobuf::MessageFactory::generated_factory();
    const google::protobuf::Message* request_type = factory->GetPrototype(method->input_type());
    const google::protobuf::Message* response_type = factory->GetPrototype(method->output_type());
    SetHandler(
        method->name(),
        [runner, method, request_type, response_type](
            const std::string& bytes, const CallInfo& call, std::string* out) -> absl::Status {
          std::unique_ptr<google::protobuf::Message> request(request_type->New());
          if (absl::Status parsed = Parse(bytes, request.get()); !parsed.ok()) return parsed;
          absl::StatusOr<v1::Actor> actor = StaffActor(call);
          if (!actor.ok()) return actor.status();
          std::unique_ptr<google::protobuf::Message> response(response_type->New());
          if (absl::Status ran = runner->Run(method, *request, *actor, response.get()); !ran.ok()) {
            return ran;
          }
          if (!response->SerializeToString(out)) {
            return absl::InternalError("response: cannot be encoded");
          }
          return absl::OkStatus();
        });
  }
}

std::vector<std::string> CallbackService::Unhandled() const {
  std::vector<std::string> unhandled;
  for (int i = 0; i < service_->method_count(); ++i) {
    const auto index = static_cast<size_t>(i);
    if (!handlers_[index] && !uploads_[index] && !streams_[index]) {
      unhandled.push_back(service_->method(i)->name());
    }
  }
  return unhandled;
}

void CallbackService::SetStream(const std::string& method, RawStream handler) {
  streams_[static_cast<size_t>(Declared(method, false, true)->index())] = std::move(handler);
}

}  // namespace complaints
