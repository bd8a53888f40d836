#include "services/dispatch/app/assignment_feed.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/core/status_macros.h"
#include "services/dispatch/app/dispatch_families.h"

namespace complaints::dispatch {
namespace {

// Departments are single-line text, so no name starts with \x01.
constexpr char kEpochKey[] =
    "\x01"
    "epoch";
constexpr char kNextKey[] =
    "\x01"
    "next";

std::string Prefix(const std::string& department) { return department + '\0'; }

std::string Key(const std::string& department, uint64_t sequence) {
  std::string key = Prefix(department);
  for (int shift = 56; shift >= 0; shift -= 8) key += static_cast<char>((sequence >> shift) & 0xFF);
  return key;
}

uint64_t SequenceOf(absl::string_view key) {
  uint64_t sequence = 0;
  for (char c : key.substr(key.size() - 8))
    sequence = (sequence << 8) | static_cast<unsigned char>(c);
  return sequence;
}

}  // namespace

absl::Status AssignmentFeed::Load() {
  if (loaded_) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::optional<std::string> epoch, store_->Get(kFeedFamily, kEpochKey));
  epoch_stored_ = epoch.has_value();
  if (!epoch.has_value()) epoch = absl::StrCat(absl::ToUnixMicros(clock_->Now()));
  ASSIGN_OR_RETURN(std::optional<std::string> next, store_->Get(kFeedFamily, kNextKey));
  if (next.has_value() && !absl::SimpleAtoi(*next, &next_)) {
    return absl::DataLossError("the assignment feed's sequence is corrupt");
  }
  epoch_ = *std::move(epoch);
  loaded_ = true;
  return absl::OkStatus();
}

absl::Status AssignmentFeed::Stage(Batch& batch, const std::vector<v1::AssignmentChange>& changes) {
  if (changes.empty()) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  RETURN_IF_ERROR(Load());
  // A new feed's epoch lands with its first changes, in the unit's batch:
  // a synced write of its own would end a rebuild's unlogged writes
  // (Store::BeginRebuild) at dispatch's first replayed assignment.
  if (!epoch_stored_) batch.Put(kFeedFamily, kEpochKey, epoch_);
  for (const v1::AssignmentChange& change : changes) {
    batch.Put(kFeedFamily, Key(change.department(), next_++), change.SerializeAsString());
  }
  // A batch that is not written leaves a gap in the numbers, which is harmless.
  batch.Put(kFeedFamily, kNextKey, absl::StrCat(next_));
  return absl::OkStatus();
}

absl::StatusOr<AssignmentFeed::Page> AssignmentFeed::After(const std::string& department,
                                                           const std::string& handler,
                                                           const std::string& cursor,
                                                           size_t max_scanned) {
  std::string epoch;
  {
    absl::MutexLock lock(&mu_);
    RETURN_IF_ERROR(Load());
    // A cursor names the epoch: it must outlive a crash before it is given.
    if (!epoch_stored_) {
      Batch batch;
      batch.Put(kFeedFamily, kEpochKey, epoch_);
      RETURN_IF_ERROR(store_->Write(batch, Durability::kSynced));
      epoch_stored_ = true;
    }
    epoch = epoch_;
  }
  uint64_t after = 0;
  if (!cursor.empty()) {
    std::vector<std::string> parts = absl::StrSplit(cursor, '.');
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[1], &after)) {
      return absl::InvalidArgumentError("cursor: not a cursor a change carried");
    }
    if (parts[0] != epoch) {
      return absl::FailedPreconditionError(
          "cursor: from before dispatch's store was rebuilt; list the assignments "
          "(ListAssignments) and watch from an empty cursor");
    }
  }
  Page page;
  page.cursor = absl::StrCat(epoch, ".", after);
  const std::string end = Key(department, UINT64_MAX);
  absl::Status corrupt = absl::OkStatus();
  RETURN_IF_ERROR(store_->Scan(kFeedFamily, Key(department, after + 1), end, max_scanned,
                               [&](absl::string_view key, absl::string_view value) {
                                 page.cursor = absl::StrCat(epoch, ".", SequenceOf(key));
                                 v1::WatchAssignmentsResponse response;
                                 if (!response.mutable_change()->ParseFromArray(
                                         value.data(), static_cast<int>(value.size()))) {
                                   corrupt =
                                       absl::DataLossError("a stored assignment change is corrupt");
                                   return false;
                                 }
                                 if (!handler.empty() && response.change().handler() != handler)
                                   return true;
                                 response.set_cursor(page.cursor);
                                 page.changes.push_back(std::move(response));
                                 return true;
                               }));
  RETURN_IF_ERROR(corrupt);
  return page;
}

}  // namespace complaints::dispatch
