// Store's backups (BackupEngine) and its health properties: kept apart from
// store.cc, which reads and writes.
#include <filesystem>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/store/rocks.h"
#include "libs/store/store.h"
#include "rocksdb/utilities/backup_engine.h"

namespace complaints {
namespace {

BackupInfo FromRocksInfo(const rocksdb::BackupInfo& info) {
  return {.id = info.backup_id,
          .created_unix_seconds = info.timestamp,
          .bytes = info.size,
          .files = info.number_files};
}

absl::StatusOr<std::unique_ptr<rocksdb::BackupEngine>> OpenEngine(const std::string& dir) {
  rocksdb::BackupEngineOptions options(dir);
  options.max_background_operations = 2;
  rocksdb::BackupEngine* raw = nullptr;
  const rocksdb::IOStatus status =
      rocksdb::BackupEngine::Open(options, rocksdb::Env::Default(), &raw);
  RETURN_IF_ERROR(FromRocksStatus(status, absl::StrCat("open backups in ", dir)));
  return std::unique_ptr<rocksdb::BackupEngine>(raw);
}

absl::StatusOr<std::vector<BackupInfo>> Listed(const rocksdb::BackupEngine& engine,
                                               const std::string& dir) {
  std::vector<rocksdb::BackupInfo> infos;
  engine.GetBackupInfo(&infos);
  if (infos.empty()) return absl::NotFoundError(absl::StrCat(dir, " holds no backup"));
  std::vector<BackupInfo> listed;
  for (const rocksdb::BackupInfo& info : infos) listed.push_back(FromRocksInfo(info));
  return listed;
}

}  // namespace

absl::StatusOr<BackupInfo> Store::Backup(const std::string& dir, int keep) {
  if (keep < 1) return absl::InvalidArgumentError(absl::StrCat("keep: ", keep, " is below 1"));
  if (rebuilding_.load()) return RebuildingError();
  RETURN_IF_ERROR(Land());
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return absl::InternalError(absl::StrCat("backups in ", dir, ": ", error.message()));
  ASSIGN_OR_RETURN(std::unique_ptr<rocksdb::BackupEngine> engine, OpenEngine(dir));
  rocksdb::CreateBackupOptions options;
  options.flush_before_backup = false;  // the WAL goes along: families stay consistent
  rocksdb::BackupID id = 0;
  RETURN_IF_ERROR(FromRocksStatus(engine->CreateNewBackup(options, rocks_->db.get(), &id),
                                  absl::StrCat("back up into ", dir)));
  RETURN_IF_ERROR(FromRocksStatus(engine->PurgeOldBackups(static_cast<uint32_t>(keep)),
                                  absl::StrCat("purge old backups in ", dir)));
  rocksdb::BackupInfo info;
  RETURN_IF_ERROR(FromRocksStatus(engine->GetBackupInfo(id, &info), "read the new backup"));
  return FromRocksInfo(info);
}

absl::StatusOr<std::vector<BackupInfo>> Store::ListBackups(const std::string& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return absl::NotFoundError(absl::StrCat(dir, " is not a backup folder"));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<rocksdb::BackupEngine> engine, OpenEngine(dir));
  return Listed(*engine, dir);
}

absl::StatusOr<BackupInfo> Store::RestoreBackup(const std::string& dir, uint32_t id,
                                                const std::string& path) {
  std::error_code error;
  if (std::filesystem::exists(path + "/CURRENT", error)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " holds a database already; move it away before restoring"));
  }
  if (!std::filesystem::is_directory(dir, error)) {
    return absl::NotFoundError(absl::StrCat(dir, " is not a backup folder"));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<rocksdb::BackupEngine> engine, OpenEngine(dir));
  ASSIGN_OR_RETURN(std::vector<BackupInfo> backups, Listed(*engine, dir));
  const BackupInfo* chosen = id == 0 ? &backups.back() : nullptr;
  for (const BackupInfo& backup : backups) {
    if (backup.id == id) chosen = &backup;
  }
  if (chosen == nullptr) {
    return absl::NotFoundError(absl::StrCat("backup ", id, " is not in ", dir));
  }
  RETURN_IF_ERROR(FromRocksStatus(engine->VerifyBackup(chosen->id, /*verify_with_checksum=*/true),
                                  absl::StrCat("verify backup ", chosen->id)));
  RETURN_IF_ERROR(FromRocksStatus(engine->RestoreDBFromBackup(chosen->id, path, path),
                                  absl::StrCat("restore backup ", chosen->id)));
  return *chosen;
}

StoreHealth Store::Health() const {
  StoreHealth health;
  for (size_t i = 0; i < rocks_->handles.size(); ++i) {
    std::map<std::string, std::string> stats;
    if (rocks_->db->GetMapProperty(rocks_->handles[i], rocksdb::DB::Properties::kCFStats, &stats)) {
      uint64_t value = 0;
      if (absl::SimpleAtoi(stats["io_stalls.total_slowdown"], &value))
        health.stall_slowdowns += value;
      if (absl::SimpleAtoi(stats["io_stalls.total_stop"], &value)) health.stall_stops += value;
    }
    uint64_t pending = 0;
    if (rocks_->db->GetIntProperty(rocks_->handles[i],
                                   rocksdb::DB::Properties::kEstimatePendingCompactionBytes,
                                   &pending)) {
      health.pending_compaction_bytes += pending;
    }
  }
  uint64_t value = 0;
  if (rocks_->db->GetIntProperty(rocksdb::DB::Properties::kIsWriteStopped, &value)) {
    health.write_stopped = value != 0;
  }
  if (rocks_->db->GetIntProperty(rocksdb::DB::Properties::kActualDelayedWriteRate, &value)) {
    health.delayed_write_rate = value;
  }
  health.block_cache_bytes = rocks_->block_cache->GetUsage();
  health.block_cache_capacity = rocks_->block_cache->GetCapacity();
  health.write_buffer_bytes = rocks_->write_buffers->memory_usage();
  health.write_buffer_limit = rocks_->write_buffers->buffer_size();
  return health;
}

}  // namespace complaints
