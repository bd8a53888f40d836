#pragma once
// The complainants' data keys (§4.2, README "Security model"). A key is made
// when a subject first needs one, wrapped by the current key-encryption key
// (KEK), kept in the store (family kDataKeys, by key id) and published to the
// compacted topic complaints.keys.v1 in the same batch as the event it seals,
// so a rebuild of intake restores it. Erasure deletes the local copy and
// publishes a tombstone; a restore from an older backup re-reads the
// tombstone (or the erasure event) and deletes the key again. Keys never
// leave intake unwrapped. Thread-safe: all state is in the store.

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/core/clock.h"
#include "libs/crypto/sealing.h"
#include "libs/runner/dead_letters.h"
#include "libs/runner/records.h"
#include "libs/runner/unit_of_work.h"
#include "libs/store/store.h"

namespace complaints::intake {

// The secrets intake is started with: the KEK that wraps new keys, older
// KEKs whose keys are re-wrapped (rotation), and the secret of the keyed
// hash that makes subject ids.
struct KeyRing {
  NamedKey current;
  std::vector<NamedKey> previous;
  SecretKey subject_secret;

  // From a KEK file (one "<id> <64 hex>" line per KEK, the current one first)
  // and a subject-secret file (one such line). INVALID_ARGUMENT naming the
  // file; no key appears in a message.
  static absl::StatusOr<KeyRing> Load(const std::string& kek_file,
                                      const std::string& subject_secret_file);
  // The same from the text of each, named by `*_source` in messages.
  static absl::StatusOr<KeyRing> FromText(const std::string& kek_source, std::string kek_text,
                                          const std::string& secret_source,
                                          std::string secret_text);
};

class DataKeys {
 public:
  // `store` and `clock` must outlive this.
  DataKeys(Store* store, KeyRing ring, const Clock* clock, RandomSource random = SystemRandom());

  // The subject id of a complainant (SubjectValue): the keyed hash, or for a
  // complainant who gave no contact, one of the complaint alone.
  std::string SubjectId(absl::string_view subject_value, absl::string_view complaint_id) const;

  // A key of `subject_id` to seal with: one the subject has, or a new one
  // staged in `unit` (store and key topic).
  struct Key {
    std::string id;
    SecretKey key;
  };
  absl::StatusOr<Key> ForSubject(UnitOfWork& unit, const std::string& subject_id) const;

  // The key `key_id`, unwrapped. FAILED_PRECONDITION saying it was erased
  // when the store has no such key; DATA_LOSS when it does not unwrap.
  absl::StatusOr<SecretKey> Get(const std::string& key_id) const;

  // The ids of the keys `subject_id` has.
  absl::StatusOr<std::vector<std::string>> KeysOf(const std::string& subject_id) const;

  // Deletes `key_ids` in `unit` and publishes their tombstones.
  absl::Status Erase(UnitOfWork& unit, const std::vector<std::string>& key_ids) const;
  // Deletes them locally only (an erasure read back from intake's topic);
  // the files are purged by the next PurgeIfNeeded.
  void EraseLocal(Batch& batch, const std::vector<std::string>& key_ids) const;

  // Mirrors records of complaints.keys.v1 with their offsets: a key record
  // is kept, a tombstone deletes (and purges the files when it deleted a key
  // the store held: a restored older copy); a record that fails its check is
  // a dead letter (`letters` may be null).
  absl::Status Apply(const std::vector<ConsumedRecord>& records, DeadLetters* letters) const;

  // Re-wraps up to `limit` keys still wrapped by an older KEK under the
  // current one (store and key topic). Returns how many. A key no KEK of the
  // ring unwraps is left as it is and logged.
  absl::StatusOr<size_t> Rewrap(Outbox* outbox, size_t limit = 1000) const;

  // Publishes the tombstones of keys erased lately again (each on the next
  // three calls): a later record in the same partition, so the segment
  // holding the first tombstone rolls (segment.ms) and compaction removes the
  // erased key even when nothing else is written. Returns how many.
  absl::StatusOr<size_t> RepeatTombstones(Outbox* outbox) const;

  // Flushes and compacts the key family and the outbox (which held each key
  // until the relay published it), so erased keys are physically gone from
  // intake's files.
  absl::Status Purge() const;
  // Purges when a local erasure since the last purge asks for it.
  absl::Status PurgeIfNeeded() const;

  const std::string& current_kek_id() const { return ring_.current.id; }

  // Held across an erasure (finding the keys, recording, committing) and a
  // re-wrap pass, so a re-wrap never writes back a key being erased.
  absl::Mutex& erasure_lock() const { return erasure_mu_; }

 private:
  absl::StatusOr<SecretKey> Unwrap(const v1::DataKeyRecord& record) const;
  OutboxRecord Publication(const v1::DataKeyRecord& record) const;

  Store* store_;
  KeyRing ring_;
  const Clock* clock_;
  RandomSource random_;
  mutable absl::Mutex erasure_mu_;
  mutable std::atomic<bool> purge_needed_{false};
  // Keys erased lately -> tombstones still to repeat.
  mutable std::map<std::string, int> repeat_ ABSL_GUARDED_BY(repeat_mu_);
  mutable absl::Mutex repeat_mu_;
};

}  // namespace complaints::intake
