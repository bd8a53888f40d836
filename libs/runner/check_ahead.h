#pragma once
// A consumed batch's records decoded and checked (DecodeEnvelope and
// CheckEnvelope: no view, no store) a chunk ahead of the applier, on a
// thread of its own. A replay is bound by the applier's one thread, and
// decoding and authenticating a record was a quarter to a third of that
// thread's work (bench/README.md), while the machine's other core stood a
// third idle. The checks need nothing but the record, so checking ahead
// decides exactly what checking in turn would.
//
// A batch of up to kCheckAheadFrom records (a live consumer's, usually) is
// checked on the caller's thread, a chunk at a time, as before: no thread
// hop where there is nothing to overlap.
//
// Memory: two chunks of decoded envelopes at most (kChunkRecords records or
// kChunkBytes of payload each, whichever comes first; one record always).

#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "complaints/v1/events.pb.h"
#include "google/protobuf/arena.h"
#include "libs/runner/consumption.h"
#include "libs/runner/record_auth.h"
#include "libs/runner/records.h"

namespace complaints {

// A record as CheckEnvelope left it.
struct CheckedRecord {
  const ConsumedRecord* record = nullptr;
  // Decoded as far as it went (empty when the payload is no Envelope);
  // valid until `apply` returns.
  const v1::Envelope* event = nullptr;
  Verdict verdict;
};

inline constexpr size_t kCheckAheadFrom = 256;

class CheckAhead {
 public:
  // `authority` must outlive this.
  CheckAhead(int partitions, const RecordAuthority* authority);
  ~CheckAhead();
  CheckAhead(const CheckAhead&) = delete;
  CheckAhead& operator=(const CheckAhead&) = delete;

  // Calls `apply` on each of `records`, checked, in order; stops at the
  // first error it returns and returns that. Records whose flag in
  // `passed_by` is set are neither checked nor applied (PublishedOffsets);
  // an empty `passed_by` passes none by. One batch at a time (the applier's
  // lock); neither argument may change until it returns.
  absl::Status ForEach(const std::vector<ConsumedRecord>& records,
                       const std::vector<bool>& passed_by,
                       absl::FunctionRef<absl::Status(const CheckedRecord&)> apply);

  // Thread-safe: the checks alone, for one record (a dead letter re-driven).
  static CheckedRecord CheckOne(const ConsumedRecord& record, int partitions,
                                const RecordAuthority& authority, google::protobuf::Arena* arena);

 private:
  class Chunk;
  absl::Status Inline(const std::vector<ConsumedRecord>& records,
                      const std::vector<bool>& passed_by,
                      absl::FunctionRef<absl::Status(const CheckedRecord&)> apply);
  absl::Status Ahead(const std::vector<ConsumedRecord>& records, const std::vector<bool>& passed_by,
                     absl::FunctionRef<absl::Status(const CheckedRecord&)> apply);
  void Work();

  const int partitions_;
  const RecordAuthority* authority_;
  // Filled by the worker and read by the applier by turns: chunk c of a
  // batch is chunks_[c % 2], and the worker fills chunk c only once the
  // applier is done with chunk c - 2.
  std::unique_ptr<Chunk> chunks_[2];
  std::vector<size_t> starts_;  // the batch's chunk boundaries, its size last

  absl::Mutex mu_;
  const std::vector<ConsumedRecord>* batch_ ABSL_GUARDED_BY(mu_) = nullptr;
  const std::vector<bool>* passed_by_ ABSL_GUARDED_BY(mu_) = nullptr;  // batch_'s
  size_t chunks_total_ ABSL_GUARDED_BY(mu_) = 0;                       // 0: no batch to check
  size_t checked_ ABSL_GUARDED_BY(mu_) = 0;  // chunks the worker has filled
  size_t applied_ ABSL_GUARDED_BY(mu_) = 0;  // chunks the applier is done with
  bool busy_ ABSL_GUARDED_BY(mu_) = false;   // the worker is filling a chunk
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread worker_;  // started with the first large batch
};

}  // namespace complaints
