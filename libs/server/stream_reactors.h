#pragma once
// The reactors behind CallbackService's streaming methods (gRPC callback
// API, raw bytes). Internal to libs/server.

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
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

using RawUpload =
    std::function<absl::Status(const std::vector<std::string>&, const CallInfo&, std::string*)>;
using RawStream = std::function<absl::Status(const std::string&, const CallInfo&, StreamWriter&)>;

// Reads every message of a client stream (at most `max_bytes` in all, else
// RESOURCE_EXHAUSTED at once), then runs the handler on `pool` (inline when
// null) and finishes with its answer.
grpc::ServerReadReactor<grpc::ByteBuffer>* StartUpload(grpc::CallbackServerContext* context,
                                                       grpc::ByteBuffer* response,
                                                       const RawUpload& handler,
                                                       const CallInfo& call, size_t max_bytes,
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
