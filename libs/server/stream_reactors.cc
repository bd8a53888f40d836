#include "libs/server/stream_reactors.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "libs/server/callback_service.h"
#include "libs/server/grpc_status.h"

namespace complaints {

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

namespace {

grpc::ByteBuffer BufferOf(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

class UploadReactor final : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  UploadReactor(grpc::ByteBuffer* response, std::unique_ptr<UploadSession> session,
                ConcurrencyLimit* open, std::string identity, WorkerPool* pool)
      : response_(response),
        session_(std::move(session)),
        open_(open),
        identity_(std::move(identity)),
        pool_(pool) {
    StartRead(&buffer_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client closed its side (or the call ended)
      Answer();
      return;
    }
    const std::string message = Flatten(buffer_);
    const absl::Status status = began_ ? session_->Add(message) : session_->Begin(message);
    began_ = true;
    if (!status.ok()) {
      Finish(ToGrpcStatus(status));
      return;
    }
    StartRead(&buffer_);
  }

  void OnDone() override {
    session_.reset();  // before the place is given back: a session may hold files
    open_->Release(identity_);
    delete this;
  }

 private:
  void Answer() {
    if (!began_) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the upload carried no message"));
      return;
    }
    auto work = [this] {
      absl::StatusOr<std::string> answer = session_->Finish();
      if (answer.ok()) *response_ = BufferOf(*answer);
      Finish(ToGrpcStatus(answer.status()));
    };
    if (pool_ == nullptr) {
      work();
    } else if (!pool_->Submit(work)) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "server busy: too many calls waiting; retry in a second"));
    }
  }

  grpc::ByteBuffer* response_;
  std::unique_ptr<UploadSession> session_;
  ConcurrencyLimit* open_;
  std::string identity_;
  WorkerPool* pool_;
  grpc::ByteBuffer buffer_;
  bool began_ = false;
};

class StreamReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer>, public StreamWriter {
 public:
  StreamReactor(std::string request, RawStream handler, CallInfo call, ConcurrencyLimit* open)
      : open_(open), identity_(call.identity) {
    std::thread([this, request = std::move(request), handler = std::move(handler),
                 call = std::move(call)] {
      const absl::Status status = handler(request, call, *this);
      Finish(ToGrpcStatus(status));  // the last touch of `this`: OnDone may follow at once
    }).detach();
  }

  bool Write(const std::string& message) override {
    absl::MutexLock lock(&mu_);
    if (cancelled_) return false;
    buffer_ = BufferOf(message);
    writing_ = true;
    StartWrite(&buffer_);
    // gRPC answers every write, with ok false once the call is cancelled.
    mu_.Await(absl::Condition(
        +[](StreamReactor* self) { return !self->writing_; }, this));
    return !cancelled_ && write_ok_;
  }

  bool WaitCancelled(absl::Duration timeout) override {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&cancelled_), timeout);
    return cancelled_;
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    write_ok_ = ok;
    if (!ok) cancelled_ = true;
  }
  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
  }
  void OnDone() override {
    open_->Release(identity_);
    delete this;
  }

 private:
  ConcurrencyLimit* open_;
  std::string identity_;
  absl::Mutex mu_;
  grpc::ByteBuffer buffer_;  // the message being written; kept until OnWriteDone
  bool writing_ = false;
  bool write_ok_ = true;
  bool cancelled_ = false;
};

class RefusedStream final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  explicit RefusedStream(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

class RefusedUpload final : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  explicit RefusedUpload(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerReadReactor<grpc::ByteBuffer>* RefuseUpload(const absl::Status& status) {
  return new RefusedUpload(ToGrpcStatus(status));
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* RefuseStream(const absl::Status& status) {
  return new RefusedStream(ToGrpcStatus(status));
}

grpc::ServerReadReactor<grpc::ByteBuffer>* StartUpload(grpc::CallbackServerContext*,
                                                       grpc::ByteBuffer* response,
                                                       const UploadFactory& factory,
                                                       const CallInfo& call, ConcurrencyLimit* open,
                                                       WorkerPool* pool) {
  if (absl::Status taken = open->Acquire(call.identity); !taken.ok()) {
    return new RefusedUpload(ToGrpcStatus(taken));
  }
  return new UploadReactor(response, factory(call), open, call.identity, pool);
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* StartStream(grpc::CallbackServerContext*,
                                                        std::string request,
                                                        const RawStream& handler,
                                                        const CallInfo& call,
                                                        ConcurrencyLimit* open) {
  if (absl::Status taken = open->Acquire(call.identity); !taken.ok()) {
    return new RefusedStream(ToGrpcStatus(taken));
  }
  return new StreamReactor(std::move(request), handler, call, open);
}

}  // namespace complaints
