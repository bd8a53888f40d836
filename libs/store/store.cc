#include "libs/store/store.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/store/rocks.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"

namespace complaints {
namespace {

constexpr const char* kFamilyNames[kFamilyCount] = {
    "state",        "outbox",    "offsets",    "idempotency", "timeline", "counts",
    "dead_letters", "parked",    "key_expiry", "timers",      "queue",    "evidence",
    "feed",         "contacts",  "mail",       "data_keys",   "subjects", "series",
    "projections",  "incidents", "models",     "erased_keys"};

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what) {
  return FromRocksStatus(status, what);
}

}  // namespace

absl::Status FromRocksStatus(const rocksdb::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat("rocksdb ", what, ": ", status.ToString());
  if (status.IsBusy() || status.IsTryAgain() || status.IsTimedOut() || status.IsIncomplete()) {
    return absl::UnavailableError(message);
  }
  if (status.IsNoSpace() || status.IsMemoryLimit()) return absl::ResourceExhaustedError(message);
  if (status.IsCorruption()) return absl::DataLossError(message);
  return absl::InternalError(message);
}

void Batch::Put(Family family, absl::string_view key, absl::string_view value) {
  ops_.push_back({family, false, std::string(key), std::string(value)});
}

void Batch::Delete(Family family, absl::string_view key) {
  ops_.push_back({family, true, std::string(key), {}});
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path, int partitions) {
  if (partitions < 1 || partitions > 0xFFFF) {
    return absl::InvalidArgumentError(absl::StrCat("partitions: ", partitions, " is not 1..65535"));
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.IncreaseParallelism(2);
  // Disk stays bounded while running (measured by bench/disk_usage): small
  // memtables, and past this much WAL RocksDB flushes the families that hold
  // the oldest log — so a rarely written family (dead letters, parked
  // records) cannot pin old WAL files until a restart.
  options.max_total_wal_size = 4 << 20;
  // Old log files and manifests do not accumulate either.
  options.keep_log_file_num = 5;
  options.max_manifest_file_size = 64 << 20;
  // Views and timelines are repetitive protobuf: ZSTD on 16 KiB blocks keeps
  // them at a fraction of their size (it ships with Debian's RocksDB), at a
  // CPU cost far below the WAL syncs.
  rocksdb::ColumnFamilyOptions family_options;
  family_options.write_buffer_size = 4 << 20;
  family_options.compression = rocksdb::kZSTD;
  family_options.bottommost_compression = rocksdb::kZSTD;
  rocksdb::BlockBasedTableOptions table;
  table.block_size = 16 << 10;
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  families.emplace_back(rocksdb::kDefaultColumnFamilyName, family_options);
  // Evidence is mostly sealed (random-looking) bytes: compressing it costs CPU and saves nothing.
  rocksdb::ColumnFamilyOptions sealed_options = family_options;
  sealed_options.compression = rocksdb::kNoCompression;
  sealed_options.bottommost_compression = rocksdb::kNoCompression;
  for (const char* name : kFamilyNames) {
    families.emplace_back(name,
                          std::string_view(name) == "evidence" ? sealed_options : family_options);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(options, path, families, &handles, &raw);
  if (!status.ok()) return FromRocks(status, absl::StrCat("open ", path));
  auto rocks = std::make_unique<Rocks>();
  rocks->db.reset(raw);
  rocks->handles = std::move(handles);
  std::unique_ptr<Store> store(new Store(std::move(rocks), partitions));
  // The layout lives in RocksDB's default family, which holds nothing else.
  constexpr char kLayoutKey[] = "layout/partitions";
  std::string recorded;
  status = store->rocks_->db->Get(rocksdb::ReadOptions(), kLayoutKey, &recorded);
  if (status.IsNotFound()) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    status = store->rocks_->db->Put(sync, kLayoutKey, absl::StrCat(partitions));
    if (!status.ok()) return FromRocks(status, "record the layout");
  } else if (!status.ok()) {
    return FromRocks(status, "read the layout");
  } else if (recorded != absl::StrCat(partitions)) {
    return absl::FailedPreconditionError(
        absl::StrCat("the store at ", path, " holds projections of ", recorded, " partitions, not ",
                     partitions, "; delete it to rebuild it from the topics with the new count"));
  }
  return store;
}

Store::Store(std::unique_ptr<Rocks> rocks, int partitions)
    : rocks_(std::move(rocks)), partitions_(partitions) {}

Store::~Store() {
  for (rocksdb::ColumnFamilyHandle* handle : rocks_->handles) {
    rocks_->db->DestroyColumnFamilyHandle(handle);
  }
  rocks_->db->Close();
}

absl::StatusOr<std::optional<std::string>> Store::Get(Family family, absl::string_view key) const {
  std::string value;
  rocksdb::Status status = rocks_->db->Get(rocksdb::ReadOptions(), rocks_->Handle(family),
                                           rocksdb::Slice(key.data(), key.size()), &value);
  if (status.IsNotFound()) return std::nullopt;
  if (!status.ok()) return FromRocks(status, "get");
  return value;
}

absl::Status Store::Write(const Batch& batch, Durability durability) {
  rocksdb::WriteBatch write;
  for (const Batch::Op& op : batch.ops_) {
    rocksdb::Status status = op.is_delete ? write.Delete(rocks_->Handle(op.family), op.key)
                                          : write.Put(rocks_->Handle(op.family), op.key, op.value);
    if (!status.ok()) return FromRocks(status, "batch");
  }
  rocksdb::WriteOptions options;
  options.sync = durability == Durability::kSynced;
  return FromRocks(rocks_->db->Write(options, &write), "write");
}

absl::Status Store::Scan(
    Family family, absl::string_view begin, absl::string_view end, size_t limit,
    const std::function<bool(absl::string_view, absl::string_view)>& visit) const {
  rocksdb::ReadOptions options;
  rocksdb::Slice upper(end.data(), end.size());
  if (!end.empty()) options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(rocks_->db->NewIterator(options, rocks_->Handle(family)));
  size_t visited = 0;
  for (it->Seek(rocksdb::Slice(begin.data(), begin.size())); it->Valid() && visited < limit;
       it->Next(), ++visited) {
    if (!visit(absl::string_view(it->key().data(), it->key().size()),
               absl::string_view(it->value().data(), it->value().size())))
      break;
  }
  return FromRocks(it->status(), "scan");
}

absl::Status Store::SyncWal() { return FromRocks(rocks_->db->SyncWAL(), "sync wal"); }

absl::Status Store::Checkpoint(const std::string& dir) const {
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status status = rocksdb::Checkpoint::Create(rocks_->db.get(), &raw);
  if (!status.ok()) return FromRocks(status, "checkpoint");
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return FromRocks(checkpoint->CreateCheckpoint(dir), "checkpoint");
}

absl::Status Store::Purge(const std::vector<Family>& families) {
  rocksdb::FlushOptions flush;
  flush.wait = true;
  RETURN_IF_ERROR(FromRocks(rocks_->db->Flush(flush, rocks_->handles), "flush"));
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (Family family : families) {
    RETURN_IF_ERROR(FromRocks(
        rocks_->db->CompactRange(compact, rocks_->Handle(family), nullptr, nullptr), "compact"));
  }
  return absl::OkStatus();
}

std::string EncodeOrderedKey(uint64_t value) {
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i) {
    key[i] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  return key;
}

uint64_t DecodeOrderedKey(absl::string_view key) {
  uint64_t value = 0;
  for (size_t i = 0; i < 8 && i < key.size(); ++i) {
    value = (value << 8) | static_cast<unsigned char>(key[i]);
  }
  return value;
}

}  // namespace complaints
