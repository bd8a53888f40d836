#pragma once
// Private to libs/store: the writer thread behind Durability::kBehind.
//
// A replay applies one batch of records while the store writes the one
// before it (memtable inserts and the WAL were a third of a replaying
// consumer's thread). At most one batch is in flight. Until it lands, reads
// see it through an overlay of its last operation on each key, and every
// other use of the database waits for it, so a caller cannot tell a handed
// batch from a written one but by its durability.
//
// A batch that fails to land fails every write after it, for good: what was
// read from the overlay may be in whatever was decided since, so nothing
// more may be written on top of it. The process must start again (RocksDB
// itself stops writing after a failed WAL write).

#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "libs/store/store.h"

namespace complaints {

class WriteBehind {
 public:
  // The index of each (family index, key)'s last operation in `batch`: only
  // those reach RocksDB (a batch is applied at once, so nothing can read the
  // ones before).
  static LastOps LastOpsOf(const Batch& batch);

  // Writes a batch (only the operations `last` names) to the database.
  using Writer = std::function<absl::Status(const Batch& batch, const LastOps& last)>;
  explicit WriteBehind(Writer writer);
  // Lands what is in flight.
  ~WriteBehind();
  WriteBehind(const WriteBehind&) = delete;
  WriteBehind& operator=(const WriteBehind&) = delete;

  // Hands `batch` to the writer thread once the one before it has landed.
  // The failure of any earlier one, and nothing written.
  absl::Status Hand(Batch batch);

  // What the batch in flight holds for the key: nullopt when nothing, else
  // its value (nullopt inside for a deletion).
  std::optional<std::optional<std::string>> Find(int family, absl::string_view key) const;

  // Waits until nothing is in flight; the failure of any batch handed so far.
  absl::Status Land() const;

 private:
  struct Flight {
    Batch batch;
    LastOps last;  // views into `batch`
  };
  void Loop();
  bool Idle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !flight_.has_value(); }
  bool Busy() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return flight_.has_value() || stopping_; }

  const Writer writer_;
  mutable absl::Mutex mu_;
  std::optional<Flight> flight_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status failed_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace complaints
