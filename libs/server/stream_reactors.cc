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
  UploadReactor(grpc::ByteBuffer* response, RawUpload handler, CallInfo call, size_t max_bytes,
                WorkerPool* pool)
      : response_(response),
        handler_(std::move(handler)),
        call_(std::move(call)),
        max_bytes_(max_bytes),
        pool_(pool) {
    StartRead(&buffer_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client closed its side (or the call ended)
      Answer();
      return;
    }
    std::string bytes = Flatten(buffer_);
    received_ += bytes.size();
    if (received_ > max_bytes_) {
      Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          absl::StrCat("upload: more than ", max_bytes_, " bytes")));
      return;
    }
    messages_.push_back(std::move(bytes));
    StartRead(&buffer_);
  }

  void OnDone() override { delete this; }

 private:
  void Answer() {
    auto work = [this] {
      std::string out;
      const absl::Status status = handler_(messages_, call_, &out);
      if (status.ok()) *response_ = BufferOf(out);
      Finish(ToGrpcStatus(status));
    };
    if (pool_ == nullptr) {
      work();
    } else if (!pool_->Submit(work)) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "server busy: too many calls waiting; retry in a second"));
    }
  }

  grpc::ByteBuffer* response_;
  RawUpload handler_;
  CallInfo call_;
  size_t max_bytes_;
  WorkerPool* pool_;
  grpc::ByteBuffer buffer_;
  std::vector<std::string> messages_;
  size_t received_ = 0;
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
                                                       const RawUpload& handler,
                                                       const CallInfo& call, size_t max_bytes,
                                                       WorkerPool* pool) {
  return new UploadReactor(response, handler, call, max_bytes, pool);
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
