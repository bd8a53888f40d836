#pragma once
// Private to libs/store: the RocksDB behind a Store.

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "libs/store/store.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace complaints {

struct Store::Rocks {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*>
      handles;  // [0] RocksDB's default, then by Family; owned

  rocksdb::ColumnFamilyHandle* Handle(Family family) const {
    return handles[static_cast<size_t>(family) + 1];
  }
};

// The absl::Status for a RocksDB status; `what` names the operation.
absl::Status FromRocksStatus(const rocksdb::Status& status, absl::string_view what);

}  // namespace complaints
