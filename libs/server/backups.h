#pragma once
// A service's backups of its store (docs/operations.md "Backups and restore"): on demand
// through the Admin API and on a schedule, into one folder with retention.
// A backup holds the state and the consumed Kafka offsets together, so a
// service restored from it replays Kafka from exactly where the backup stood.
// Thread-safe: one backup at a time.

#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "complaints/v1/admin.pb.h"
#include "libs/store/store.h"

namespace complaints {

class StoreBackups {
 public:
  // `store` must outlive this. An empty `dir` refuses every call.
  StoreBackups(Store* store, std::string dir, int keep);

  absl::StatusOr<v1::CreateBackupResponse> Create();
  absl::StatusOr<v1::ListBackupsResponse> List() const;

 private:
  absl::Status Configured() const;

  Store* store_;
  const std::string dir_;
  const int keep_;
  absl::Mutex mu_;
};

// Restores backup `which` ("latest" or its id) of `backup_dir` into the store
// folder `path` before the service opens it. INVALID_ARGUMENT for a `which`
// that is neither; FAILED_PRECONDITION when `path` holds a database.
absl::StatusOr<BackupInfo> RestoreStore(const std::string& backup_dir, const std::string& which,
                                        const std::string& path);

}  // namespace complaints
