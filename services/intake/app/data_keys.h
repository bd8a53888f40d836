#pragma once
// The complainants' data keys (§4.2, docs/security.md). A key is made
// when a subject first needs one, wrapped by the current key-encryption key
// (KEK), kept in the store (family kDataKeys, by key id) and published to the
// compacted topic complaints.keys.v1 in the same batch as the event it seals,
// so a rebuild of intake restores it. Erasure deletes the local copy, marks
// the key erased (family kErasedKeys, from the erasure event, so a rebuild
// marks it too) and publishes a tombstone; a restore from an older backup
// reads the erasure event back and deletes the key again. Only a tombstone
// that matches a recorded erasure, on the key's own partition, takes effect;
// a key record must be intake's (record_auth.h), on its partition, and of a
// key not erased. Keys never leave intake unwrapped. Thread-safe: all state
// is in the store.

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/core/clock.h"
#include "libs/crypto/sealing.h"
#include "libs/runner/dead_letters.h"
#include "libs/runner/record_auth.h"
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

// When an erased key's tombstone is written again: the key topic's segment
// holding the first tombstone rolls only once a record arrives after the
// topic's segment.ms, so a quiet topic needs one then; compaction then
// removes the erased key within the cleaner's backoff.
struct TombstoneRepeats {
  absl::Duration after = absl::Hours(1);       // the key topic's segment.ms
  absl::Duration interval = absl::Minutes(1);  // between the repeats
  int times = 3;
};

class DataKeys {
 public:
  // `store` and `clock` must outlive this.
  DataKeys(Store* store, KeyRing ring, const Clock* clock, TombstoneRepeats repeats = {},
           RandomSource random = SystemRandom());

  // The subject id of a complainant (SubjectValue): the keyed hash, or for a
  // complainant who gave no contact, one of the complaint alone.
  std::string SubjectId(absl::string_view subject_value, absl::string_view complaint_id) const;

  // A key of `subject_id` to seal with: one the subject has, or — with
  // `record` set — a new one, which the caller stages (Stage) in the batch
  // of the event it seals.
  struct Key {
    std::string id;
    SecretKey key;
    std::optional<v1::DataKeyRecord> record = std::nullopt;
  };
  absl::StatusOr<Key> ForSubject(const std::string& subject_id) const;
  // A new key's record in `batch`, and its publication to the key topic.
  OutboxRecord Stage(Batch& batch, const v1::DataKeyRecord& record) const;

  // The key `key_id`, unwrapped. FAILED_PRECONDITION saying it was erased
  // when the store has no such key; DATA_LOSS when it does not unwrap.
  absl::StatusOr<SecretKey> Get(const std::string& key_id) const;

  // The ids of the keys `subject_id` has.
  absl::StatusOr<std::vector<std::string>> KeysOf(const std::string& subject_id) const;

  // Deletes `key_ids` in `batch` and schedules their tombstones' repeats
  // (kept in the store, so a restart keeps them); returns the tombstones to
  // publish with the batch. `erased_at` is the erasure event's recorded time.
  std::vector<OutboxRecord> Erase(Batch& batch, const std::vector<std::string>& key_ids,
                                  absl::Time erased_at) const;
  // Deletes them locally and marks them erased, nothing published (an
  // erasure read back from intake's topic); the files are purged by the
  // next PurgeIfNeeded.
  void EraseLocal(Batch& batch, const std::vector<std::string>& key_ids,
                  absl::Time erased_at) const;

  // Mirrors records of complaints.keys.v1 with their offsets: a key record
  // is kept, a tombstone deletes (and purges the files when it deleted a key
  // the store held: a restored older copy). A record that is not intake's
  // (`authority`), on another partition than its key gives, of a key already
  // erased, or a tombstone that matches no recorded erasure changes nothing
  // and is a dead letter (`letters` may be null).
  absl::Status Apply(const std::vector<ConsumedRecord>& records, DeadLetters* letters,
                     const RecordAuthority& authority) const;

  // Re-wraps up to `limit` keys still wrapped by an older KEK under the
  // current one (store and key topic). Returns how many. A key no KEK of the
  // ring unwraps is left as it is and logged.
  absl::StatusOr<size_t> Rewrap(Outbox* outbox, size_t limit = 1000) const;

  // Publishes the tombstones whose repeat is due (TombstoneRepeats): a later
  // record in the same partition, so the segment holding the first
  // tombstone rolls and compaction removes the erased key even when nothing
  // else is written. Returns how many.
  absl::StatusOr<size_t> RepeatTombstones(Outbox* outbox) const;

  // Whether `key_id` was erased (a recorded erasure named it).
  absl::StatusOr<bool> Erased(const std::string& key_id) const;

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

  // The check of one key-topic record; OK or the dead letter's kind and reason.
  struct Refusal {
    v1::DeadLetterKind kind = v1::DEAD_LETTER_KIND_UNSPECIFIED;
    std::string reason;
  };
  absl::StatusOr<Refusal> Check(const ConsumedRecord& record,
                                const RecordAuthority& authority) const;

  Store* store_;
  KeyRing ring_;
  const Clock* clock_;
  TombstoneRepeats repeats_;
  RandomSource random_;
  mutable absl::Mutex erasure_mu_;
  mutable std::atomic<bool> purge_needed_{false};
  mutable absl::Mutex repeat_mu_;  // one RepeatTombstones at a time
};

}  // namespace complaints::intake
