// A rebuild of an empty store written without the write-ahead log
// (Store::BeginRebuild): its mark, what ends it, and what a start does with
// a store whose rebuild did not end.
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/store/rocks.h"
#include "libs/store/store.h"
#include "libs/store/write_behind.h"

namespace complaints {
namespace {

constexpr int kRebuildLevelZeroTables = 16;
// The timeline is written and not read during a rebuild (a complaint's
// events are asked for once it is served), and each compaction of it into
// level 1 rewrites all of that level. Its entries are 70 % of the bytes
// tracking's rebuild writes; rebuilding 50k complaints compacted them at 16
// and 32 tables (2.2 s of CPU of 11 s, bench/README.md). At 64 a rebuild
// that size compacts its timeline once, after it has ended; a larger one
// every 64 flushes (each table's index, ~13 KB of 8,000 entries, pinned in
// the cache).
constexpr int kRebuildTimelineLevelZeroTables = 64;

absl::Status Errno(absl::string_view what, const std::string& path) {
  return absl::InternalError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

// fsyncs `path` (a file, or a folder after an entry in it was made or removed).
absl::Status SyncPath(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("open", path);
  const int synced = fsync(fd);
  close(fd);
  return synced == 0 ? absl::OkStatus() : Errno("fsync", path);
}

std::string FolderOf(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

// Level 0's tables are compacted into level 1 once `triggers[0]` of them are
// there; writes slow down at `triggers[1]` and stop at `triggers[2]`. A
// failure only costs speed: logged.
void SetLevelZeroTriggers(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* handle,
                          const std::array<int, 3>& triggers) {
  const rocksdb::Status set =
      db->SetOptions(handle, {{"level0_file_num_compaction_trigger", std::to_string(triggers[0])},
                              {"level0_slowdown_writes_trigger", std::to_string(triggers[1])},
                              {"level0_stop_writes_trigger", std::to_string(triggers[2])}});
  if (!set.ok()) {
    log::Warn("store: level 0 triggers of {} not set: {}", handle->GetName(), set.ToString());
  }
}

}  // namespace

absl::Status RebuildingError() {
  return absl::UnavailableError(
      "the store is being rebuilt from the topics, written without its write-ahead log until "
      "it has caught up: copy it then");
}

absl::Status Store::DiscardUnfinishedRebuild(const std::string& path) {
  const std::string mark = RebuildMark(path);
  std::error_code error;
  if (!std::filesystem::exists(mark, error)) return absl::OkStatus();
  log::Warn(
      "store: the rebuild of {} did not end (the process stopped during it); starting it "
      "again from an empty store",
      path);
  std::filesystem::remove_all(path, error);
  if (error) return absl::InternalError(absl::StrCat("discard ", path, ": ", error.message()));
  std::filesystem::remove(mark, error);
  if (error) return absl::InternalError(absl::StrCat("remove ", mark, ": ", error.message()));
  return SyncPath(FolderOf(path));
}

absl::Status Store::BeginRebuild() {
  absl::MutexLock lock(&rebuild_mu_);
  if (rebuilding_.load()) return absl::OkStatus();
  const std::string mark = RebuildMark(path_);
  // The mark is durable before the first write that skips the log.
  const int fd = open(mark.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("create", mark);
  close(fd);
  RETURN_IF_ERROR(SyncPath(mark));
  RETURN_IF_ERROR(SyncPath(FolderOf(mark)));
  rebuilding_.store(true);
  // Each compaction into level 1 rewrites that level (a complaint's keys are
  // random within their day) with ZSTD, the bottommost level's compression:
  // at 4 tables, tracking's rebuild of 10k complaints compacted 4 times,
  // 0.64 s of CPU against 2.4 s of rebuild, on a machine whose two cores the
  // rebuild already filled. With 16, a rebuild that size compacts after it
  // has ended, once; a larger one every 16 flushes of a family, so level 0
  // (each table's filter and index pinned in the cache) stays bounded.
  // The rebuild's are generous, since it writes nothing acknowledged.
  rocks_->usual_level_zero.clear();
  for (rocksdb::ColumnFamilyHandle* handle : rocks_->handles) {
    const rocksdb::Options opened = rocks_->db->GetOptions(handle);
    rocks_->usual_level_zero.push_back({opened.level0_file_num_compaction_trigger,
                                        opened.level0_slowdown_writes_trigger,
                                        opened.level0_stop_writes_trigger});
    const int tables = handle->GetName() == Family::kTimeline.name()
                           ? kRebuildTimelineLevelZeroTables
                           : kRebuildLevelZeroTables;
    SetLevelZeroTriggers(rocks_->db.get(), handle, {tables, tables + 24, tables + 48});
  }
  rocks_->block_cache->SetCapacity(kRebuildBlockCacheBytes);
  rocks_->write_buffers->SetBufferSize(kRebuildWriteBufferBytes);
  return absl::OkStatus();
}

absl::Status Store::EndRebuild() {
  absl::MutexLock lock(&rebuild_mu_);
  if (!rebuilding_.load()) return absl::OkStatus();
  // Writes from here on are logged; a batch written before is waited for,
  // then every family is flushed, so nothing unlogged is left in memory
  // when the mark goes.
  rebuilding_.store(false);
  rocksdb::FlushOptions flush;
  flush.wait = true;
  absl::Status flushed = behind_->Land();
  if (flushed.ok()) flushed = FromRocksStatus(rocks_->db->Flush(flush, rocks_->handles), "flush");
  if (!flushed.ok()) {
    // Still a rebuild: what follows may be discarded with it, so nothing
    // acknowledged may be written (the kSynced write that asked fails).
    rebuilding_.store(true);
    return flushed;
  }
  for (size_t i = 0; i < rocks_->usual_level_zero.size(); ++i) {
    SetLevelZeroTriggers(rocks_->db.get(), rocks_->handles[i], rocks_->usual_level_zero[i]);
  }
  // Evicts down to the usual size at once; the memtables were just flushed.
  rocks_->block_cache->SetCapacity(kBlockCacheBytes);
  rocks_->write_buffers->SetBufferSize(kWriteBufferBytes);
  const std::string mark = RebuildMark(path_);
  std::error_code error;
  std::filesystem::remove(mark, error);
  if (error) return absl::InternalError(absl::StrCat("remove ", mark, ": ", error.message()));
  return SyncPath(FolderOf(mark));
}

}  // namespace complaints
