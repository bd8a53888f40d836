#include "libs/server/backups.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"

namespace complaints {
namespace {

v1::Backup ToProtoBackup(const BackupInfo& info) {
  v1::Backup backup;
  backup.set_id(info.id);
  *backup.mutable_created_at() = ToProto(absl::FromUnixSeconds(info.created_unix_seconds));
  backup.set_bytes(info.bytes);
  backup.set_files(info.files);
  return backup;
}

}  // namespace

StoreBackups::StoreBackups(Store* store, std::string dir, int keep)
    : store_(store), dir_(std::move(dir)), keep_(keep) {}

absl::Status StoreBackups::Configured() const {
  if (dir_.empty()) {
    return absl::FailedPreconditionError("backups: this service was started without --backup_dir");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::CreateBackupResponse> StoreBackups::Create() {
  RETURN_IF_ERROR(Configured());
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(BackupInfo made, store_->Backup(dir_, keep_));
  v1::CreateBackupResponse response;
  *response.mutable_backup() = ToProtoBackup(made);
  ASSIGN_OR_RETURN(std::vector<BackupInfo> kept, Store::ListBackups(dir_));
  for (const BackupInfo& info : kept) *response.add_kept() = ToProtoBackup(info);
  return response;
}

absl::StatusOr<v1::ListBackupsResponse> StoreBackups::List() const {
  RETURN_IF_ERROR(Configured());
  v1::ListBackupsResponse response;
  absl::StatusOr<std::vector<BackupInfo>> listed = Store::ListBackups(dir_);
  if (absl::IsNotFound(listed.status())) return response;  // none made yet
  RETURN_IF_ERROR(listed.status());
  for (const BackupInfo& info : *listed) *response.add_backups() = ToProtoBackup(info);
  return response;
}

absl::StatusOr<BackupInfo> RestoreStore(const std::string& backup_dir, const std::string& which,
                                        const std::string& path) {
  uint32_t id = 0;
  if (which != "latest" && (!absl::SimpleAtoi(which, &id) || id == 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--restore_backup: \"", which, "\" is neither latest nor a backup id"));
  }
  if (backup_dir.empty()) {
    return absl::InvalidArgumentError("--restore_backup needs --backup_dir");
  }
  return Store::RestoreBackup(backup_dir, id, path);
}

}  // namespace complaints
