#pragma once
// The reactors behind CallbackService's streaming methods (gRPC callback
// API, raw bytes). Internal to libs/server.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"
#include "libs/server/concurrency_limit.h"
#include "libs/server/worker_pool.h"

namespace complaints {

struct CallInfo;

// The writing side of a server stream, for its handler (which runs on a
// thread of its own). Thread-compatible: one handler uses it.
class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  // Sends one serialized message; blocks until it is on its way. False once
  // the call is cancelled (client gone, deadline, server shutting down).
  virtual bool Write(const std::string& message) = 0;
  // Waits up to `timeout`; true as soon as the call is cancelled.
  virtual bool WaitCancelled(absl::Duration timeout) = 0;
};

// The bytes of a message gRPC received.
std::string Flatten(const grpc::ByteBuffer& buffer);

// One client-streaming call (an upload), message by message: made when the
// call arrives, it sees each message as it is read, so the call holds only
// what the session keeps itself. Not thread-safe: the reactor calls it in order.
class UploadSession {
 public:
  virtual ~UploadSession() = default;
  // The call's first message; a refusal ends the call before more is read.
  virtual absl::Status Begin(const std::string& message) = 0;
  // Each further message, as it arrives; a refusal ends the call.
  virtual absl::Status Add(const std::string& message) = 0;
  // After the client's last message (on the worker pool): the answer's bytes.
  virtual absl::StatusOr<std::string> Finish() = 0;
};
using UploadFactory = std::function<std::unique_ptr<UploadSession>(const CallInfo&)>;
using RawStream = std::function<absl::Status(const std::string&, const CallInfo&, StreamWriter&)>;

// Runs an upload: a session from `factory`, fed each message as it is read,
// finished on `pool` (inline when null). The upload holds a place of `open`
// for the caller's identity while it lasts; without one the call is
// RESOURCE_EXHAUSTED at once.
grpc::ServerReadReactor<grpc::ByteBuffer>* StartUpload(grpc::CallbackServerContext* context,
                                                       grpc::ByteBuffer* response,
                                                       const UploadFactory& factory,
                                                       const CallInfo& call, ConcurrencyLimit* open,
                                                       WorkerPool* pool);

// Calls refused before any message is read or written (`status` not OK).
grpc::ServerReadReactor<grpc::ByteBuffer>* RefuseUpload(const absl::Status& status);
grpc::ServerWriteReactor<grpc::ByteBuffer>* RefuseStream(const absl::Status& status);

// Runs the handler on a thread of its own, writing what it writes, and
// finishes with its status. The stream holds a place of `open` for the
// caller's identity while it lasts; without one (the service's or the
// caller's limit reached) the call is RESOURCE_EXHAUSTED at once.
grpc::ServerWriteReactor<grpc::ByteBuffer>* StartStream(grpc::CallbackServerContext* context,
                                                        std::string request,
                                                        const RawStream& handler,
                                                        const CallInfo& call,
                                                        ConcurrencyLimit* open);

}  // namespace complaints
