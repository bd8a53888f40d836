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
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace complaints {

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
