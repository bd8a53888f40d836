#include "libs/store/store.h"

#include <algorithm>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/store/rocks.h"
#include "libs/store/write_behind.h"
#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/utilities/table_properties_collectors.h"
#include "rocksdb/write_buffer_manager.h"

namespace complaints {
namespace {

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what) {
  return FromRocksStatus(status, what);
}

// A programming error: the family is not one this store was opened with.
absl::Status Undeclared(Family family) {
  return absl::InternalError(absl::StrCat("store family \"", family.name(),
                                          "\" was not declared when the store was opened"));
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

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path, int partitions,
                                                   const std::vector<Family>& own) {
  if (partitions < 1 || partitions > 0xFFFF) {
    return absl::InvalidArgumentError(absl::StrCat("partitions: ", partitions, " is not 1..65535"));
  }
  RETURN_IF_ERROR(DiscardUnfinishedRebuild(path));
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.IncreaseParallelism(2);
  // Disk stays bounded while running (measured by bench/disk_usage): past
  // this much WAL RocksDB flushes the families that hold the oldest log — so
  // a rarely written family (dead letters, parked records) cannot pin old WAL
  // files until a restart. Not much less: each time the cap is reached every
  // family flushes a table, and each table compacted into the level below it
  // rewrites that level (a complaint's keys are random within their day).
  // At 4 MiB that was 35 flushes of each family per 10k complaints and a
  // third of tracking's CPU in compactions (bench/README.md).
  options.max_total_wal_size = 32 << 20;
  // Old log files and manifests do not accumulate either.
  options.keep_log_file_num = 5;
  options.max_manifest_file_size = 64 << 20;
  // Views and timelines are repetitive protobuf: ZSTD on 16 KiB blocks keeps
  // them at a fraction of their size (it ships with Debian's RocksDB) where
  // data settles, the bottommost level. Flushes and the compactions above
  // it use LZ4: ZSTD there was a quarter of a replaying service's CPU
  // (bench/README.md), for files soon compacted again.
  rocksdb::ColumnFamilyOptions family_options;
  family_options.write_buffer_size = 8 << 20;
  family_options.compression = rocksdb::kLZ4Compression;
  family_options.bottommost_compression = rocksdb::kZSTD;
  // A point read that misses a memtable (a view or count written before
  // the last flush, and every immutable memtable it passes) asks a bloom
  // filter instead of searching the skip list: memtable searches were 15 %
  // of analytics' live CPU (bench/README.md). The filter is 5 % of each
  // memtable, counted in the write buffers' cap.
  family_options.memtable_whole_key_filtering = true;
  family_options.memtable_prefix_bloom_size_ratio = 0.05;
  // Memory is bounded whatever the load (a replay included): one block cache
  // for every family, index and filter blocks charged to it, and one cap on
  // all families' memtables together (past it RocksDB flushes the largest).
  options.write_buffer_manager = std::make_shared<rocksdb::WriteBufferManager>(kWriteBufferBytes);
  rocksdb::BlockBasedTableOptions table;
  table.block_size = 16 << 10;
  table.block_cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // Point reads (a complaint's view, most often one not stored yet) skip the
  // files that cannot hold the key.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // Views are read again soon after they are written (the next event of the
  // complaint, on another topic): a flushed table's blocks go into the cache
  // as it is written, instead of being read back and decompressed on the
  // first miss (a replay's view loads, bench/README.md).
  rocksdb::ColumnFamilyOptions state_options = family_options;
  rocksdb::BlockBasedTableOptions state_table = table;
  state_table.prepopulate_block_cache =
      rocksdb::BlockBasedTableOptions::PrepopulateBlockCache::kFlushOnly;
  state_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(state_table));
  // Evidence is mostly sealed (random-looking) bytes: compressing it costs CPU and saves nothing.
  rocksdb::ColumnFamilyOptions sealed_options = family_options;
  sealed_options.compression = rocksdb::kNoCompression;
  sealed_options.bottommost_compression = rocksdb::kNoCompression;
  // Families used as queues (records put, then deleted once done) fill with
  // tombstones that every scan steps over until a compaction drops them: a
  // table file that holds many deletions is compacted at once.
  rocksdb::ColumnFamilyOptions queue_options = family_options;
  queue_options.table_properties_collector_factories.push_back(
      rocksdb::NewCompactOnDeletionCollectorFactory(/*sliding_window_size=*/256,
                                                    /*deletion_trigger=*/64));
  std::vector<Family> opened = {Family::kState,       Family::kOutbox,   Family::kOffsets,
                                Family::kIdempotency, Family::kTimeline, Family::kCounts,
                                Family::kDeadLetters, Family::kParked,   Family::kKeyExpiry};
  for (const Family& family : own) {
    const bool clash = std::any_of(opened.begin(), opened.end(), [&](const Family& known) {
      return known.index() == family.index() || std::string_view(known.name()) == family.name();
    });
    if (family.index() < Family::kShared || family.index() >= Family::kShared + Family::kMaxOwn ||
        clash) {
      return absl::InvalidArgumentError(
          absl::StrCat("store family \"", family.name(), "\": its slot or name is taken"));
    }
    opened.push_back(family);
  }
  // A family on disk that no one declares now (an older layout's) must be
  // opened too; it keeps an index past the declared ones.
  auto rocks = std::make_unique<Rocks>();
  std::vector<std::string> on_disk;
  if (rocksdb::DB::ListColumnFamilies(options, path, &on_disk).ok()) {
    int extra = Family::kShared + Family::kMaxOwn;
    for (const std::string& name : on_disk) {
      const bool known = name == rocksdb::kDefaultColumnFamilyName ||
                         std::any_of(opened.begin(), opened.end(),
                                     [&](const Family& family) { return name == family.name(); });
      if (known) continue;
      rocks->other_names.push_back(name);
      opened.push_back(Family(extra++, rocks->other_names.back().c_str(), true));
    }
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  families.emplace_back(rocksdb::kDefaultColumnFamilyName, family_options);
  for (const Family& family : opened) {
    const bool queue = family == Family::kOutbox || family == Family::kParked ||
                       family == Family::kDeadLetters || family == Family::kKeyExpiry;
    families.emplace_back(family.name(), !family.compressible()     ? sealed_options
                                         : queue                    ? queue_options
                                         : family == Family::kState ? state_options
                                                                    : family_options);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(options, path, families, &handles, &raw);
  if (!status.ok()) return FromRocks(status, absl::StrCat("open ", path));
  rocks->db.reset(raw);
  rocks->by_index.assign(static_cast<size_t>(opened.back().index()) + 1, nullptr);
  for (size_t i = 0; i < opened.size(); ++i) {
    rocks->by_index[static_cast<size_t>(opened[i].index())] = handles[i + 1];
  }
  rocks->handles = std::move(handles);
  // Kept to raise and restore their limits around a rebuild (rebuild.cc).
  rocks->block_cache = table.block_cache;
  rocks->write_buffers = options.write_buffer_manager;
  std::unique_ptr<Store> store(new Store(std::move(rocks), partitions, std::move(opened), path));
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

Store::Store(std::unique_ptr<Rocks> rocks, int partitions, std::vector<Family> families,
             std::string path)
    : rocks_(std::move(rocks)),
      behind_(std::make_unique<WriteBehind>([this](const Batch& batch, const LastOps& last) {
        return WriteNow(batch, last, Durability::kBuffered);
      })),
      partitions_(partitions),
      families_(std::move(families)),
      path_(std::move(path)) {}

Store::~Store() {
  if (rebuilding_.load()) {  // keeps what the rebuild wrote: flushed, not discarded
    if (absl::Status ended = EndRebuild(); !ended.ok()) {
      log::Warn(
          "store: a rebuild's writes could not be flushed at close ({}); the next start "
          "rebuilds again",
          ended.ToString());
    }
  }
  behind_.reset();  // lands what is in flight
  for (rocksdb::ColumnFamilyHandle* handle : rocks_->handles) {
    rocks_->db->DestroyColumnFamilyHandle(handle);
  }
  rocks_->db->Close();
}

absl::StatusOr<std::optional<std::string>> Store::Get(Family family, absl::string_view key) const {
  if (rocks_->Handle(family) == nullptr) return Undeclared(family);
  if (std::optional<std::optional<std::string>> in_flight = behind_->Find(family.index(), key)) {
    return *std::move(in_flight);
  }
  std::string value;
  rocksdb::Status status = rocks_->db->Get(rocksdb::ReadOptions(), rocks_->Handle(family),
                                           rocksdb::Slice(key.data(), key.size()), &value);
  if (status.IsNotFound()) return std::nullopt;
  if (!status.ok()) return FromRocks(status, "get");
  return value;
}

absl::Status Store::Write(const Batch& batch, Durability durability) {
  if (durability == Durability::kBehind) return Write(Batch(batch), durability);
  RETURN_IF_ERROR(behind_->Land());
  if (durability == Durability::kSynced && rebuilding_.load()) RETURN_IF_ERROR(EndRebuild());
  return WriteNow(batch, WriteBehind::LastOpsOf(batch), durability);
}

absl::Status Store::Write(Batch&& batch, Durability durability) {
  if (durability != Durability::kBehind) return Write(static_cast<const Batch&>(batch), durability);
  for (const Batch::Op& op : batch.ops_) {
    if (rocks_->Handle(op.family) == nullptr) return Undeclared(op.family);
  }
  return behind_->Hand(std::move(batch));
}

absl::Status Store::Land() const { return behind_->Land(); }

absl::Status Store::WriteNow(const Batch& batch, const LastOps& last, Durability durability) {
  rocksdb::WriteBatch write;
  // Only the last operation on a key reaches RocksDB: each was a memtable
  // insert, a WAL entry and a version for compaction to drop (a count is put
  // once per event of a batch, a timer once per change).
  for (size_t i = 0; i < batch.ops_.size(); ++i) {
    const Batch::Op& op = batch.ops_[i];
    if (rocks_->Handle(op.family) == nullptr) return Undeclared(op.family);
    if (last.at({op.family.index(), op.key}) != i) continue;
    rocksdb::Status status = op.is_delete ? write.Delete(rocks_->Handle(op.family), op.key)
                                          : write.Put(rocks_->Handle(op.family), op.key, op.value);
    if (!status.ok()) return FromRocks(status, "batch");
  }
  rocksdb::WriteOptions options;
  options.sync = durability == Durability::kSynced;
  options.disableWAL = durability != Durability::kSynced && rebuilding_.load();
  return FromRocks(rocks_->db->Write(options, &write), "write");
}

absl::Status Store::Scan(
    Family family, absl::string_view begin, absl::string_view end, size_t limit,
    const std::function<bool(absl::string_view, absl::string_view)>& visit) const {
  if (rocks_->Handle(family) == nullptr) return Undeclared(family);
  RETURN_IF_ERROR(behind_->Land());
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

std::string Store::PrefixEnd(absl::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xff) end.pop_back();
  if (!end.empty()) end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

absl::Status Store::SyncWal() {
  RETURN_IF_ERROR(behind_->Land());
  return FromRocks(rocks_->db->SyncWAL(), "sync wal");
}

absl::Status Store::Checkpoint(const std::string& dir) const {
  if (rebuilding_.load()) return RebuildingError();
  RETURN_IF_ERROR(behind_->Land());
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status status = rocksdb::Checkpoint::Create(rocks_->db.get(), &raw);
  if (!status.ok()) return FromRocks(status, "checkpoint");
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return FromRocks(checkpoint->CreateCheckpoint(dir), "checkpoint");
}

absl::Status Store::Purge(const std::vector<Family>& families) {
  RETURN_IF_ERROR(behind_->Land());
  rocksdb::FlushOptions flush;
  flush.wait = true;
  RETURN_IF_ERROR(FromRocks(rocks_->db->Flush(flush, rocks_->handles), "flush"));
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (Family family : families) {
    if (rocks_->Handle(family) == nullptr) return Undeclared(family);
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
