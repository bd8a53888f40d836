#pragma once
// The dead letters of one service (docs/architecture.md invariant 6): records that could
// not be applied (consumer) or published (relay), kept with their raw bytes
// and the reason, in the same store batch as the offset or outbox delete that
// moves past them. Operators list and re-drive them (admin.proto). The counts
// are kept in memory, recovered by one scan at open. Thread-safe.

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/admin.pb.h"
#include "complaints/v1/records.pb.h"
#include "libs/runner/record_auth.h"
#include "libs/runner/records.h"
#include "libs/store/store.h"

namespace complaints {

// "<topic>:<partition>:<offset>" for a consumed record.
std::string DeadLetterId(const ConsumedRecord& record);
// "outbox:<sequence>" for an outbox entry.
std::string OutboxDeadLetterId(uint64_t sequence);

v1::RawRecord ToRaw(const ConsumedRecord& record);
ConsumedRecord FromRaw(const v1::RawRecord& raw);

class DeadLetters {
 public:
  // `store` must outlive this. DATA_LOSS when a stored letter is unreadable.
  static absl::StatusOr<std::unique_ptr<DeadLetters>> Open(Store* store);

  // Adds `letter` to `batch`. Once the batch is written, call Added(letter)
  // if it was new (not a failed retry of one already there).
  void Stage(Batch& batch, const v1::DeadLetter& letter) const;
  void StageRemoval(Batch& batch, const v1::DeadLetter& letter) const;
  void Added(v1::DeadLetterKind kind);
  void Removed(v1::DeadLetterKind kind);

  // NOT_FOUND for an unknown id.
  absl::StatusOr<v1::DeadLetter> Get(absl::string_view id) const;
  // A page of letters in id order, each with a preview of its key and
  // payload (DeadLetter.preview), at most `page_size` of them and under
  // 1 MiB. INVALID_ARGUMENT for a page size outside 0–500 (0 means 50).
  absl::StatusOr<v1::ListDeadLettersResponse> List(int page_size,
                                                   absl::string_view page_token) const;

  uint64_t total() const;
  std::map<std::string, uint64_t> by_kind() const;

 private:
  explicit DeadLetters(Store* store) : store_(store) {}

  Store* store_;
  std::array<std::atomic<int64_t>, 16> counts_{};  // by DeadLetterKind
};

// A dead letter for `record` made now.
v1::DeadLetter MakeDeadLetter(std::string id, v1::RawRecord record, v1::DeadLetterKind kind,
                              absl::string_view reason, absl::Time now);

// The dead letters of one batch of records that a handler stores itself
// (intake's evidence, keys and notifications): each is staged in the batch
// that moves the offset past it, and counted once that batch is written.
// Not thread-safe: one per batch.
class LetterBatch {
 public:
  // `letters` may be null: then nothing is kept.
  LetterBatch(DeadLetters* letters, absl::Time now) : letters_(letters), now_(now) {}

  void Add(Batch& batch, const ConsumedRecord& record, v1::DeadLetterKind kind,
           absl::string_view reason);
  // Stages a FORGED letter and returns false when `record` is not its
  // topic's writer's (record_auth.h); true when it is.
  bool Authentic(Batch& batch, const ConsumedRecord& record, const RecordAuthority& authority);
  // Counts the letters, once the batch was written.
  void Written();

 private:
  DeadLetters* letters_;
  absl::Time now_;
  std::vector<v1::DeadLetterKind> staged_;
};

}  // namespace complaints
