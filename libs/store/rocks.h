#pragma once
// Private to libs/store: the RocksDB behind a Store.

#include <array>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "libs/store/store.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "rocksdb/write_buffer_manager.h"

namespace complaints {

// What RocksDB may hold in memory per store (docs/operations.md, "Rebuilding a
// service"): one block cache for every family, and one cap on all families'
// write buffers together.
inline constexpr size_t kBlockCacheBytes = 32 << 20;
inline constexpr size_t kWriteBufferBytes = 32 << 20;
// While a rebuild writes an empty store (rebuild.cc). A rebuild reads back
// every complaint's view once per record of it, records that come minutes
// of writes apart (its own topic first, then the inputs together); past the
// usual cache most of those reads decompressed a table's block again.
// Memory is given back when the rebuild ends.
inline constexpr size_t kRebuildBlockCacheBytes = 160 << 20;
inline constexpr size_t kRebuildWriteBufferBytes = 64 << 20;

struct Store::Rocks {
  std::unique_ptr<rocksdb::DB> db;
  // Owned: RocksDB's default first, then every family opened.
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  // The names of families on disk that no one declared (Family names them).
  std::deque<std::string> other_names;
  // By Family::index(); null for a family this store did not open.
  std::vector<rocksdb::ColumnFamilyHandle*> by_index;
  // Each handle's level-0 triggers as opened (compaction, slowdown, stop),
  // kept while a rebuild has them raised (rebuild.cc).
  std::vector<std::array<int, 3>> usual_level_zero;
  std::shared_ptr<rocksdb::Cache> block_cache;
  std::shared_ptr<rocksdb::WriteBufferManager> write_buffers;

  rocksdb::ColumnFamilyHandle* Handle(Family family) const {
    const auto index = static_cast<size_t>(family.index());
    return index < by_index.size() ? by_index[index] : nullptr;
  }
};

// The absl::Status for a RocksDB status; `what` names the operation.
absl::Status FromRocksStatus(const rocksdb::Status& status, absl::string_view what);

// What a copy of the store (a checkpoint, a backup) answers while a rebuild
// writes without the write-ahead log: the copy would not be consistent.
absl::Status RebuildingError();

}  // namespace complaints
