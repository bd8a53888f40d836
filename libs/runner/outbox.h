#pragma once
// The transactional outbox (docs/architecture.md invariant 1). Events are staged into the
// same RocksDB batch as the state that produced them; the relay publishes
// them in sequence order and deletes them once Kafka has them.
//
// Ordering contract: sequences are handed out before batches are written, and
// batches may commit out of order. The relay only reads below SafeLimit(): the
// lowest sequence whose batch has not settled (been written durably, or
// abandoned), so it never skips an entry that commits late, and never
// publishes an event a machine crash could take back. A batch written without
// sync settles when the relay's SyncWal covers it (SyncPending). Thread-safe.

#include <atomic>
#include <cstdint>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/runner/record_auth.h"
#include "libs/store/store.h"

namespace complaints {

struct OutboxRecord {
  std::string topic;
  std::string key;      // the complaint id (the key id on the key topic)
  std::string payload;  // a serialized Envelope
  // Published without a value: on a compacted topic, the key's erasure.
  bool tombstone = false;
};

// The producer refuses messages over its message.max.bytes (1,000,000); every
// event is checked against this much lower ceiling before it is acknowledged,
// so nothing the relay is handed can be refused for its size.
inline constexpr size_t kDefaultMaxRecordBytes = 256 * 1024;

class Outbox {
 public:
  // Recovers the next sequence from what `store` holds. `store` must outlive
  // this. Every record staged is signed by `authority` as its writer
  // (record_auth.h). `max_record_bytes` is the ceiling of one serialized
  // event, before its authentication.
  static absl::StatusOr<std::unique_ptr<Outbox>> Open(
      Store* store, std::shared_ptr<const RecordAuthority> authority,
      size_t max_record_bytes = kDefaultMaxRecordBytes);

  size_t max_record_bytes() const { return max_record_bytes_; }

  // Reserves sequences for `records` and adds them to `batch`, each signed
  // (a tombstone has nothing to sign). The caller must call Settle(ticket)
  // once the batch was written or dropped.
  struct Ticket {
    uint64_t first = 0;
    uint64_t count = 0;
  };
  Ticket Stage(Batch& batch, const std::vector<OutboxRecord>& records);
  // The same for records signed when first staged (an outbox dead letter
  // put back): they are staged as they are.
  Ticket Restage(Batch& batch, const std::vector<OutboxRecord>& records);
  // `written` says whether the batch holding the ticket's entries was written;
  // `durability`, how. A buffered batch stays unsettled until SyncPending.
  void Settle(Ticket ticket, bool written, Durability durability = Durability::kSynced);

  // Syncs the store's WAL when buffered batches wait for it, then settles them.
  absl::Status SyncPending();

  // Entries in the outbox (written and not yet removed), without a scan.
  uint64_t depth() const { return depth_.load(); }
  // The relay removed `count` entries.
  void Removed(uint64_t count) { depth_ -= count; }

  // Every sequence below this one is settled.
  uint64_t SafeLimit() const;

  // Blocks until a Settle raises SafeLimit above `seen_limit`, or `timeout`
  // (the relay's sync interval: buffered batches wait for its next sync).
  void WaitForWork(uint64_t seen_limit, absl::Duration timeout) const;

  Store* store() const { return store_; }
  const RecordAuthority& authority() const { return *authority_; }

  static std::string EncodeValue(const OutboxRecord& record);
  static absl::StatusOr<OutboxRecord> DecodeValue(absl::string_view value);

 private:
  Outbox(Store* store, std::shared_ptr<const RecordAuthority> authority, size_t max_record_bytes,
         uint64_t next)
      : store_(store),
        authority_(std::move(authority)),
        max_record_bytes_(max_record_bytes),
        next_(next) {}

  enum class Signing { kSign, kAsIs };
  Ticket Put(Batch& batch, const std::vector<OutboxRecord>& records, Signing signing);

  Store* store_;
  std::shared_ptr<const RecordAuthority> authority_;
  const size_t max_record_bytes_;
  std::atomic<uint64_t> depth_{0};
  mutable absl::Mutex mu_;
  uint64_t next_ ABSL_GUARDED_BY(mu_);
  std::set<uint64_t> unsettled_ ABSL_GUARDED_BY(mu_);  // first sequence of each open ticket
  std::set<uint64_t> unsynced_ ABSL_GUARDED_BY(mu_);   // of those, written but not yet synced
};

}  // namespace complaints
