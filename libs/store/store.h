#pragma once
// RocksDB with column families: the shared ones and those the service
// declares (this header names no RocksDB type: rocks.h, private to
// libs/store, holds them). One WriteBatch carries a unit
// of work — state, consumed offsets, outbox entries, idempotency keys — so it
// is applied whole or not at all. Thread-safe: concurrent Write calls share
// WAL syncs through RocksDB's group commit.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace complaints {

// A column family. Every store has the shared families named below; a
// service declares its own (Family::Own, in its app/<service>_families.h)
// and opens its store with them, so a new projection edits no shared code.
class Family {
 public:
  // How many families a service may declare of its own.
  static constexpr int kMaxOwn = 16;

  // A service's own family: `slot` (0..kMaxOwn-1) and `name` (its name on
  // disk) each unique within the service. `compressible` false for sealed
  // (random-looking) bytes, which compression would only cost CPU on.
  static constexpr Family Own(int slot, const char* name, bool compressible = true) {
    return Family(kShared + slot, name, compressible);
  }

  static const Family kState;        // service-specific state, e.g. complaint views
  static const Family kOutbox;       // events waiting for the relay, by big-endian sequence
  static const Family kOffsets;      // consumed Kafka offsets, "topic/partition" -> next offset
  static const Family kIdempotency;  // client idempotency keys -> original result
  static const Family kTimeline;     // per-complaint event history
  static const Family kCounts;       // aggregates
  static const Family kDeadLetters;  // records that could not be applied or published, by id
  static const Family kParked;       // consumed records waiting for what they follow
  static const Family kKeyExpiry;    // idempotency keys by the time they were first used

  constexpr int index() const { return index_; }
  constexpr const char* name() const { return name_; }
  constexpr bool compressible() const { return compressible_; }
  constexpr bool operator==(const Family& other) const { return index_ == other.index_; }
  constexpr bool operator!=(const Family& other) const { return index_ != other.index_; }
  constexpr bool operator<(const Family& other) const { return index_ < other.index_; }

 private:
  friend class Store;
  static constexpr int kShared = 9;
  constexpr Family(int index, const char* name, bool compressible)
      : index_(index), name_(name), compressible_(compressible) {}
  int index_;
  const char* name_;
  bool compressible_;
};

inline constexpr Family Family::kState{0, "state", true};
inline constexpr Family Family::kOutbox{1, "outbox", true};
inline constexpr Family Family::kOffsets{2, "offsets", true};
inline constexpr Family Family::kIdempotency{3, "idempotency", true};
inline constexpr Family Family::kTimeline{4, "timeline", true};
inline constexpr Family Family::kCounts{5, "counts", true};
inline constexpr Family Family::kDeadLetters{6, "dead_letters", true};
inline constexpr Family Family::kParked{7, "parked", true};
inline constexpr Family Family::kKeyExpiry{8, "key_expiry", true};

enum class Durability {
  kBuffered,  // in the WAL, survives a process crash
  kSynced,    // fsynced: survives a machine crash; required before acknowledging
  // Handed to the store's writer thread, which writes it as kBuffered while
  // the caller goes on (a replay's batches). Reads see it at once; the next
  // write and every scan wait for it (Store::Land). Its failure is reported
  // by every write after it.
  kBehind,
};

class WriteBehind;
using LastOps = absl::flat_hash_map<std::pair<int, absl::string_view>, size_t>;

class Batch {
 public:
  void Put(Family family, absl::string_view key, absl::string_view value);
  void Delete(Family family, absl::string_view key);
  bool empty() const { return ops_.empty(); }
  size_t size() const { return ops_.size(); }
  // Drops every operation added after the first `size` ones.
  void Truncate(size_t size) { ops_.resize(std::min(size, ops_.size())); }

 private:
  friend class Store;
  friend class WriteBehind;
  struct Op {
    Family family = Family::kState;
    bool is_delete;
    std::string key, value;
  };
  std::vector<Op> ops_;
};

// Signs of write pressure, from RocksDB's properties (summed over families).
struct StoreHealth {
  uint64_t stall_slowdowns = 0;     // writes slowed down since open (io_stalls.total_slowdown)
  uint64_t stall_stops = 0;         // writes stopped since open (io_stalls.total_stop)
  bool write_stopped = false;       // writes are stopped now
  uint64_t delayed_write_rate = 0;  // bytes/s writes are held to now; 0 when not delayed
  uint64_t pending_compaction_bytes = 0;  // estimated bytes compaction still has to rewrite
  // Memory: the block cache's bytes held and its capacity, and the write
  // buffers' bytes held and their cap (both raised while a rebuild runs).
  uint64_t block_cache_bytes = 0;
  uint64_t block_cache_capacity = 0;
  uint64_t write_buffer_bytes = 0;
  uint64_t write_buffer_limit = 0;
};

// One backup in a backup folder (BackupEngine).
struct BackupInfo {
  uint32_t id = 0;
  int64_t created_unix_seconds = 0;
  uint64_t bytes = 0;  // its files, shared ones included
  uint32_t files = 0;
};

class Store {
 public:
  // Opens (creating if needed) the database at `path`, holding projections of
  // topics with `partitions` partitions: their keys start with the partition
  // (libs/runner/partitioning.h). The count is recorded on creation; opening
  // with another count is FAILED_PRECONDITION (the layout would not match).
  // It has the shared families and the service's `own` (INVALID_ARGUMENT for
  // two with one slot or name); a family on disk that neither names (an
  // older layout's) is opened too, reachable through families().
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& path,
                                                     int partitions = kDefaultPartitions,
                                                     const std::vector<Family>& own = {});
  static constexpr int kDefaultPartitions = 6;

  int partitions() const { return partitions_; }
  // Every family open: the shared ones, the service's, and any other on disk.
  const std::vector<Family>& families() const { return families_; }
  ~Store();

  // Errors carry codes that say what to do (FromRocksStatus): UNAVAILABLE to
  // retry (busy, try again, timed out), RESOURCE_EXHAUSTED (no space),
  // DATA_LOSS (corruption), INTERNAL otherwise.

  // NOT_FOUND-free lookup: nullopt when the key is absent.
  absl::StatusOr<std::optional<std::string>> Get(Family family, absl::string_view key) const;

  // Applies the batch atomically (kBehind: once it lands).
  absl::Status Write(const Batch& batch, Durability durability);
  absl::Status Write(Batch&& batch, Durability durability);

  // Waits for a kBehind write in flight to land. The failure of any kBehind
  // write so far: after one, every write fails (what was read from it may be
  // in what was decided since); the process must start again.
  absl::Status Land() const;

  // Calls `visit(key, value)` for keys in [begin, end) in order until it returns
  // false or `limit` entries were visited. An empty `end` means no upper bound.
  absl::Status Scan(Family family, absl::string_view begin, absl::string_view end, size_t limit,
                    const std::function<bool(absl::string_view, absl::string_view)>& visit) const;

  // Scan over the keys that start with `prefix`. Bounded, so RocksDB stops at
  // the prefix's end instead of stepping over deleted keys beyond it.
  absl::Status ScanPrefix(
      Family family, absl::string_view prefix, size_t limit,
      const std::function<bool(absl::string_view, absl::string_view)>& visit) const {
    return Scan(family, prefix, PrefixEnd(prefix), limit, visit);
  }

  // The least key above every key that starts with `prefix`; empty (no bound)
  // for a prefix of 0xff bytes only.
  static std::string PrefixEnd(absl::string_view prefix);

  // Makes every write done so far durable (fsyncs the WAL): the group commit
  // for batches written with kBuffered.
  absl::Status SyncWal();

  // A consistent on-disk copy (RocksDB checkpoint) in `dir`, which must not exist.
  absl::Status Checkpoint(const std::string& dir) const;

  // A new backup of the whole store in `dir` (RocksDB's BackupEngine: files
  // already there are shared, so a backup copies what changed), keeping the
  // newest `keep` (>= 1). Consistent across families: the write-ahead log is
  // backed up with the tables, so the consumed offsets match the state.
  absl::StatusOr<BackupInfo> Backup(const std::string& dir, int keep);
  // The backups in `dir`, oldest first (NOT_FOUND when it holds none).
  static absl::StatusOr<std::vector<BackupInfo>> ListBackups(const std::string& dir);
  // Restores backup `id` (0: the newest) of `dir` into `path`, which must not
  // hold a database. The store must not be open.
  static absl::StatusOr<BackupInfo> RestoreBackup(const std::string& dir, uint32_t id,
                                                  const std::string& path);

  StoreHealth Health() const;

  // Rebuilding an empty store from the topics (the replay fast path of a
  // fresh store, ServiceRuntime): from BeginRebuild to EndRebuild, writes
  // other than kSynced skip the write-ahead log, which was a sixth of a
  // rebuilding service's CPU with the flushes its size forced. Safe because
  // what is written then is what the topics hold: a rebuild that does not
  // end (the process dies) leaves a mark beside the store, and the next Open
  // discards the store and starts from an empty one. EndRebuild flushes
  // every family, so all that was written is on disk before the mark goes;
  // so does closing the store. A kSynced write (something acknowledged)
  // ends the rebuild before it is written, so it can never be discarded.
  // Checkpoints and backups are UNAVAILABLE until the rebuild ends. Level 0
  // is compacted at 16 tables instead of 4 meanwhile (rebuild.cc).
  absl::Status BeginRebuild();
  absl::Status EndRebuild();
  bool rebuilding() const { return rebuilding_.load(); }

  // Makes deleted values of `families` physically gone: flushes every family
  // (so no write-ahead log still holds them) and rewrites those families'
  // files down to the last level. For erasure; costs a full compaction.
  absl::Status Purge(const std::vector<Family>& families);

 private:
  struct Rocks;  // the database and its family handles (rocks.h)
  Store(std::unique_ptr<Rocks> rocks, int partitions, std::vector<Family> families,
        std::string path);
  // Writes the operations `last` names (the last on each key).
  absl::Status WriteNow(const Batch& batch, const LastOps& last, Durability durability);

  // The mark of a rebuild under way, beside the store at `path`.
  static std::string RebuildMark(const std::string& path) { return path + ".rebuilding"; }
  // Discards the store at `path` when a rebuild of it did not end.
  static absl::Status DiscardUnfinishedRebuild(const std::string& path);

  std::unique_ptr<Rocks> rocks_;
  std::unique_ptr<WriteBehind> behind_;
  int partitions_;
  std::vector<Family> families_;
  std::string path_;
  std::atomic<bool> rebuilding_{false};
  absl::Mutex rebuild_mu_;  // serialises BeginRebuild and EndRebuild
};

// Big-endian encoding so byte order equals numeric order.
std::string EncodeOrderedKey(uint64_t value);
uint64_t DecodeOrderedKey(absl::string_view key);

}  // namespace complaints
