#include "libs/runner/check_ahead.h"

#include <pthread.h>

namespace complaints {
namespace {

constexpr size_t kChunkRecords = 32;
constexpr size_t kChunkBytes = 1 << 20;
// Enough for a chunk of ordinary envelopes without a second block.
constexpr size_t kArenaBlockBytes = 128 << 10;

google::protobuf::ArenaOptions ArenaWithBlock(char* block, size_t size) {
  google::protobuf::ArenaOptions options;
  options.initial_block = block;
  options.initial_block_size = size;
  return options;
}

// Where each chunk of `records` begins, and records.size() last.
void ChunkStarts(const std::vector<ConsumedRecord>& records, std::vector<size_t>& starts) {
  starts.clear();
  size_t records_in = 0, bytes_in = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    if (i == 0 || records_in == kChunkRecords || bytes_in >= kChunkBytes) {
      starts.push_back(i);
      records_in = 0;
      bytes_in = 0;
    }
    ++records_in;
    bytes_in += records[i].payload.size();
  }
  starts.push_back(records.size());
}

}  // namespace

// The checked records of one chunk, their envelopes on an arena reset per chunk.
class CheckAhead::Chunk {
 public:
  Chunk()
      : block_(new char[kArenaBlockBytes]),
        arena_(ArenaWithBlock(block_.get(), kArenaBlockBytes)) {}

  void Fill(const std::vector<ConsumedRecord>& records, const std::vector<bool>& passed_by,
            size_t begin, size_t end, int partitions, const RecordAuthority& authority) {
    checked_.clear();
    arena_.Reset();
    for (size_t i = begin; i < end; ++i) {
      if (!passed_by.empty() && passed_by[i]) continue;
      checked_.push_back(CheckOne(records[i], partitions, authority, &arena_));
    }
  }
  const std::vector<CheckedRecord>& checked() const { return checked_; }

 private:
  std::unique_ptr<char[]> block_;
  google::protobuf::Arena arena_;
  std::vector<CheckedRecord> checked_;
};

CheckAhead::CheckAhead(int partitions, const RecordAuthority* authority)
    : partitions_(partitions), authority_(authority) {
  for (auto& chunk : chunks_) chunk = std::make_unique<Chunk>();
}

CheckAhead::~CheckAhead() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (worker_.joinable()) worker_.join();
}

CheckedRecord CheckAhead::CheckOne(const ConsumedRecord& record, int partitions,
                                   const RecordAuthority& authority,
                                   google::protobuf::Arena* arena) {
  v1::Envelope* event = google::protobuf::Arena::CreateMessage<v1::Envelope>(arena);
  const bool decoded = DecodeEnvelope(record, event);
  return {.record = &record,
          .event = event,
          .verdict = CheckEnvelope(record, decoded, *event, partitions, authority)};
}

absl::Status CheckAhead::ForEach(const std::vector<ConsumedRecord>& records,
                                 const std::vector<bool>& passed_by,
                                 absl::FunctionRef<absl::Status(const CheckedRecord&)> apply) {
  ChunkStarts(records, starts_);
  if (records.size() <= kCheckAheadFrom) return Inline(records, passed_by, apply);
  return Ahead(records, passed_by, apply);
}

absl::Status CheckAhead::Inline(const std::vector<ConsumedRecord>& records,
                                const std::vector<bool>& passed_by,
                                absl::FunctionRef<absl::Status(const CheckedRecord&)> apply) {
  for (size_t c = 0; c + 1 < starts_.size(); ++c) {
    chunks_[0]->Fill(records, passed_by, starts_[c], starts_[c + 1], partitions_, *authority_);
    for (const CheckedRecord& checked : chunks_[0]->checked()) {
      if (absl::Status status = apply(checked); !status.ok()) return status;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckAhead::Ahead(const std::vector<ConsumedRecord>& records,
                               const std::vector<bool>& passed_by,
                               absl::FunctionRef<absl::Status(const CheckedRecord&)> apply) {
  const size_t total = starts_.size() - 1;
  {
    absl::MutexLock lock(&mu_);
    // The worker is idle here: the batch before this one waited for it.
    batch_ = &records;
    passed_by_ = &passed_by;
    chunks_total_ = total;
    checked_ = 0;
    applied_ = 0;
  }
  if (!worker_.joinable()) worker_ = std::thread([this] { Work(); });
  absl::Status status = absl::OkStatus();
  for (size_t c = 0; c < total && status.ok(); ++c) {
    {
      struct Checked {
        CheckAhead* self;
        size_t chunk;
      } wanted{this, c};
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](Checked* at) {
            at->self->mu_.AssertReaderHeld();
            return at->self->checked_ > at->chunk;
          },
          &wanted));
    }
    for (const CheckedRecord& checked : chunks_[c % 2]->checked()) {
      status = apply(checked);
      if (!status.ok()) break;
    }
    absl::MutexLock lock(&mu_);
    applied_ = c + 1;
  }
  // Nothing of this batch is touched once it returns.
  absl::MutexLock lock(&mu_);
  chunks_total_ = 0;
  batch_ = nullptr;
  passed_by_ = nullptr;
  mu_.Await(absl::Condition(
      +[](CheckAhead* self) {
        self->mu_.AssertReaderHeld();
        return !self->busy_;
      },
      this));
  return status;
}

void CheckAhead::Work() {
  pthread_setname_np(pthread_self(), "check-ahead");  // in top and perf
  absl::MutexLock lock(&mu_);
  for (;;) {
    mu_.Await(absl::Condition(
        +[](CheckAhead* self) {
          self->mu_.AssertReaderHeld();
          return self->stop_ ||
                 (self->checked_ < self->chunks_total_ && self->checked_ < self->applied_ + 2);
        },
        this));
    if (stop_) return;
    const size_t c = checked_;
    const std::vector<ConsumedRecord>* batch = batch_;
    const std::vector<bool>* passed_by = passed_by_;
    busy_ = true;
    mu_.Unlock();
    chunks_[c % 2]->Fill(*batch, *passed_by, starts_[c], starts_[c + 1], partitions_, *authority_);
    mu_.Lock();
    busy_ = false;
    ++checked_;
  }
}

}  // namespace complaints
