#include "libs/runner/parked_records.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "libs/runner/partitioning.h"

namespace complaints {
namespace {

std::string PrefixOf(absl::string_view complaint_id, int partitions) {
  return absl::StrCat(ComplaintKey(complaint_id, partitions), absl::string_view("\0", 1));
}

constexpr absl::string_view kByTimePrefix = "\xff\xff";
constexpr size_t kByTimeHeader = 2 + 8;

std::string ByTimeKey(absl::Time parked_at, absl::string_view key) {
  return absl::StrCat(kByTimePrefix,
                      EncodeOrderedKey(static_cast<uint64_t>(absl::ToUnixMicros(parked_at))), key);
}

absl::Status Unreadable(absl::string_view key) {
  return absl::DataLossError(absl::StrCat("parked record ", EscapedPrefix(key), " is unreadable"));
}

}  // namespace

std::string ParkedChanges::KeyOf(const v1::Envelope& event) const {
  return absl::StrCat(PrefixOf(event.complaint_id(), store_->partitions()),
                      std::string(1, static_cast<char>(event.writer())),
                      EncodeOrderedKey(static_cast<uint64_t>(event.sequence())));
}

absl::StatusOr<std::map<std::string, v1::ParkedRecord>> ParkedChanges::For(
    const std::string& complaint_id) const {
  std::map<std::string, v1::ParkedRecord> parked;
  const std::string prefix = PrefixOf(complaint_id, store_->partitions());
  absl::Status corrupt = absl::OkStatus();
  RETURN_IF_ERROR(store_->ScanPrefix(Family::kParked, prefix, SIZE_MAX,
                                     [&](absl::string_view key, absl::string_view value) {
                                       if (!parked[std::string(key)].ParseFromArray(
                                               value.data(), static_cast<int>(value.size()))) {
                                         corrupt = Unreadable(key);
                                         return false;
                                       }
                                       return true;
                                     }));
  RETURN_IF_ERROR(corrupt);
  for (auto it = overlay_.lower_bound(prefix);
       it != overlay_.end() && absl::StartsWith(it->first, prefix); ++it) {
    if (it->second.has_value()) {
      parked[it->first] = *it->second;
    } else {
      parked.erase(it->first);
    }
  }
  return parked;
}

void ParkedChanges::Park(const std::string& key, v1::ParkedRecord entry,
                         const v1::ParkedRecord* replaced) {
  if (replaced != nullptr) {
    batch_->Delete(Family::kParked, ByTimeKey(FromProto(replaced->parked_at()), key));
  }
  batch_->Put(Family::kParked, key, entry.SerializeAsString());
  batch_->Put(Family::kParked, ByTimeKey(FromProto(entry.parked_at()), key), "");
  overlay_[key] = std::move(entry);
}

void ParkedChanges::Release(const std::string& key, const v1::ParkedRecord& entry) {
  batch_->Delete(Family::kParked, key);
  batch_->Delete(Family::kParked, ByTimeKey(FromProto(entry.parked_at()), key));
  overlay_[key] = std::nullopt;
}

absl::Status ParkedChanges::Expired(
    absl::Time cutoff,
    const std::function<absl::Status(const std::string& key, const v1::ParkedRecord& entry)>&
        visit) {
  std::vector<std::string> expired;
  RETURN_IF_ERROR(store_->Scan(Family::kParked, kByTimePrefix, ByTimeKey(cutoff, ""), SIZE_MAX,
                               [&](absl::string_view index, absl::string_view) {
                                 if (index.size() > kByTimeHeader)
                                   expired.emplace_back(index.substr(kByTimeHeader));
                                 return true;
                               }));
  for (const std::string& key : expired) {
    if (overlay_.count(key)) continue;  // touched by this unit: not the stored one any more
    ASSIGN_OR_RETURN(std::optional<std::string> stored, store_->Get(Family::kParked, key));
    v1::ParkedRecord parked;
    if (!stored || !parked.ParseFromString(*stored)) {
      return absl::DataLossError(
          absl::StrCat("parked record ", EscapedPrefix(key), " is missing or unreadable"));
    }
    RETURN_IF_ERROR(visit(key, parked));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ParkedChanges::CountStored(const Store& store,
                                                   absl::flat_hash_set<std::string>& complaint_ids,
                                                   Batch& index) {
  int64_t parked = 0;
  absl::Status corrupt = absl::OkStatus();
  RETURN_IF_ERROR(
      store.Scan(Family::kParked, "", kByTimePrefix, SIZE_MAX,
                 [&](absl::string_view key, absl::string_view value) {
                   v1::ParkedRecord entry;
                   if (!entry.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
                     corrupt = Unreadable(key);
                     return false;
                   }
                   index.Put(Family::kParked, ByTimeKey(FromProto(entry.parked_at()), key), "");
                   if (key.size() > kPartitionPrefixBytes) {
                     const absl::string_view rest = key.substr(kPartitionPrefixBytes);
                     complaint_ids.insert(std::string(rest.substr(0, rest.find('\0'))));
                   }
                   ++parked;
                   return true;
                 }));
  RETURN_IF_ERROR(corrupt);
  return parked;
}

}  // namespace complaints
