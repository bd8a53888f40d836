#pragma once
// The parked family (Family::kParked): consumed records that arrived before
// the one they follow, kept per complaint until it comes (ConsumedApplier).
// Layout:
//  - complaint key (ComplaintKey), NUL, writer, big-endian sequence ->
//    v1::ParkedRecord: a complaint's parked records sort together, each
//    writer's in sequence order;
//  - a time index above every partition prefix: kByTimePrefix, big-endian
//    parked-at micros, then the record's key -> "" — so a sweep reads only
//    what has waited too long.
// ParkedChanges is one unit of work's view of the family: the store's
// records with the unit's parkings and releases on top, staged in its batch.
// Not thread-safe: one per unit.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/records.pb.h"
#include "libs/store/store.h"

namespace complaints {

class ParkedChanges {
 public:
  // `store` must outlive the changes; `batch` is the unit's.
  ParkedChanges(const Store* store, Batch* batch) : store_(store), batch_(batch) {}

  // Where `event` is parked.
  std::string KeyOf(const v1::Envelope& event) const;

  // The complaint's parked records in key order, as this unit leaves them.
  absl::StatusOr<std::map<std::string, v1::ParkedRecord>> For(
      const std::string& complaint_id) const;

  // Parks `entry` under `key`; `replaced` is the entry it takes the place of.
  void Park(const std::string& key, v1::ParkedRecord entry, const v1::ParkedRecord* replaced);
  void Release(const std::string& key, const v1::ParkedRecord& entry);

  // The stored records parked before `cutoff` that this unit has not touched,
  // each with its key, in the order they were parked.
  absl::Status Expired(absl::Time cutoff,
                       const std::function<absl::Status(const std::string& key,
                                                        const v1::ParkedRecord& entry)>& visit);

  // Counts every stored parked record, finds the complaints they belong to,
  // and stages a time index entry for each in `index` (a store from before
  // the index gets one; an existing entry is rewritten).
  static absl::StatusOr<int64_t> CountStored(const Store& store,
                                             absl::flat_hash_set<std::string>& complaint_ids,
                                             Batch& index);

 private:
  const Store* store_;
  Batch* batch_;
  // Keys this unit parked (the entry) or released (nullopt).
  std::map<std::string, std::optional<v1::ParkedRecord>> overlay_;
};

}  // namespace complaints
