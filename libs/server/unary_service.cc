#include "libs/server/unary_service.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/support/byte_buffer.h"
#include "libs/core/text.h"
#include "libs/server/grpc_status.h"

namespace complaints {
namespace {

constexpr char kPushback[] = "grpc-retry-pushback-ms";
constexpr char kClientIdHeader[] = "x-client-id";
constexpr char kActorIdHeader[] = "x-actor-id";
constexpr char kActorRoleHeader[] = "x-actor-role";
constexpr size_t kMaxActorHeaderBytes = 256;
constexpr size_t kMaxActorChars = 64;

std::string Header(const grpc::CallbackServerContext& context, const char* name) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(name);
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), std::min(it->second.size(), kMaxActorHeaderBytes));
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

std::string ClientOf(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kClientIdHeader);
  if (it != metadata.end() && !it->second.empty() && it->second.size() <= 64) {
    return std::string(it->second.data(), it->second.size());
  }
  return context.peer();
}

}  // namespace

absl::StatusOr<v1::Actor> StaffActor(const CallInfo& call) {
  if (call.actor_id.empty()) {
    return absl::UnauthenticatedError("x-actor-id metadata: required (who does this)");
  }
  v1::Actor actor;
  *actor.mutable_id() = call.actor_id;
  *actor.mutable_role() = call.actor_role;
  for (auto [field, text] : {std::pair{"x-actor-id", actor.mutable_id()},
                             std::pair{"x-actor-role", actor.mutable_role()}}) {
    absl::StatusOr<std::string> cleaned = CleanText(*text, TextShape::kSingleLine);
    if (!cleaned.ok() || cleaned->empty() != text->empty() ||
        CodePointCount(*cleaned) > kMaxActorChars) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, " metadata: single-line text of at most ", kMaxActorChars, " characters"));
    }
    *text = *std::move(cleaned);
  }
  return actor;
}

absl::Status UnaryService::Unparseable(const std::string& type) {
  return absl::InvalidArgumentError(absl::StrCat(
      "request: not a valid ", type, " (malformed bytes, or a text field that is not UTF-8)"));
}

UnaryService::UnaryService(const google::protobuf::ServiceDescriptor* service,
                           UnaryServiceOptions options)
    : service_(service),
      handlers_(static_cast<size_t>(service->method_count())),
      pool_(options.threads > 0 ? std::make_unique<WorkerPool>(options.threads, options.max_queued)
                                : nullptr) {
  for (int i = 0; i < service->method_count(); ++i) {
    const std::string path =
        absl::StrCat("/", service->full_name(), "/", service->method(i)->name());
    path_storage_.push_back(path);
    AddMethod(new grpc::internal::RpcServiceMethod(path_storage_.back().c_str(),
                                                   grpc::internal::RpcMethod::NORMAL_RPC, nullptr));
    MarkMethodRawCallback(
        i,
        new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
            [this, i](grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                      grpc::ByteBuffer* response) -> grpc::ServerUnaryReactor* {
              grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
              const RawHandler& handler = handlers_[static_cast<size_t>(i)];
              if (!handler) {
                reactor->Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "not served here"));
                return reactor;
              }
              CallInfo call{context->peer(), ClientOf(*context), Header(*context, kActorIdHeader),
                            Header(*context, kActorRoleHeader)};
              auto work = [context, reactor, request, response, &handler, call] {
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
                reactor->Finish(ToGrpcStatus(status));
              };
              if (!pool_) {
                work();
              } else if (!pool_->Submit(work)) {
                context->AddTrailingMetadata(kPushback, "1000");
                reactor->Finish(
                    grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                 "server busy: too many calls waiting; retry in a second"));
              }
              return reactor;
            }));
  }
}

void UnaryService::SetHandler(const std::string& method, RawHandler handler) {
  const google::protobuf::MethodDescriptor* found = service_->FindMethodByName(method);
  if (found != nullptr) handlers_[static_cast<size_t>(found->index())] = std::move(handler);
}

}  // namespace complaints
