#include "services/intake/app/data_keys.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/core/config.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/topics.h"
#include "services/intake/app/intake_families.h"

namespace complaints::intake {
namespace {

constexpr size_t kSubjectIdChars = 64;  // KeyedHash: 32 bytes in hex

OutboxRecord Tombstone(const std::string& key_id) {
  return {.topic = std::string(topics::kKeys), .key = key_id, .payload = {}, .tombstone = true};
}

// Family kErasedKeys: "k/<key id>" -> the erasure's time (micros) for every
// erased key; "r/<due micros, big-endian><key id>" -> repeats left.
std::string ErasedKey(absl::string_view key_id) { return absl::StrCat("k/", key_id); }
constexpr absl::string_view kRepeatPrefix = "r/";
std::string RepeatKey(absl::Time due, absl::string_view key_id) {
  return absl::StrCat(
      kRepeatPrefix,
      EncodeOrderedKey(static_cast<uint64_t>(std::max<int64_t>(absl::ToUnixMicros(due), 0))),
      key_id);
}
constexpr size_t kRepeatHeader = 2 + 8;
constexpr size_t kKeySuffixChars = 8;

bool IsLowerHex(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c)) || absl::ascii_isupper(c)) {
      return false;
    }
  }
  return true;
}

// "<subject id>.<8 hex>"
absl::Status CheckKeyId(absl::string_view key_id) {
  if (key_id.size() != kSubjectIdChars + 1 + kKeySuffixChars || key_id[kSubjectIdChars] != '.' ||
      !IsLowerHex(key_id.substr(0, kSubjectIdChars)) ||
      !IsLowerHex(key_id.substr(kSubjectIdChars + 1))) {
    return absl::InvalidArgumentError("key_id: \"<64 hex>.<8 hex>\"");
  }
  return absl::OkStatus();
}

absl::Status CheckRecord(const v1::DataKeyRecord& record, absl::string_view key) {
  RETURN_IF_ERROR(CheckKeyId(record.key_id()));
  if (record.key_id() != key) return absl::InvalidArgumentError("key_id: must be the record's key");
  if (record.subject_id() != record.key_id().substr(0, kSubjectIdChars)) {
    return absl::InvalidArgumentError("subject_id: must begin the key id");
  }
  if (record.kek_id().empty() || record.kek_id().size() > 64) {
    return absl::InvalidArgumentError("kek_id: 1 to 64 characters");
  }
  if (record.wrapped().size() != kKeyBytes + kSealOverhead) {
    return absl::InvalidArgumentError(
        absl::StrCat("wrapped: ", kKeyBytes + kSealOverhead, " bytes"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<NamedKey>> ParseKeys(const std::string& path, std::string text) {
  std::vector<NamedKey> keys;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    ASSIGN_OR_RETURN(NamedKey key, ParseNamedKey(absl::StrCat(path, ":", line_number), line));
    keys.push_back(std::move(key));
  }
  std::fill(text.begin(), text.end(), '\0');
  if (keys.empty()) return absl::InvalidArgumentError(absl::StrCat(path, ": no key in it"));
  return keys;
}

}  // namespace

absl::StatusOr<KeyRing> KeyRing::Load(const std::string& kek_file,
                                      const std::string& subject_secret_file) {
  ASSIGN_OR_RETURN(std::string kek_text, ReadFile(kek_file));
  ASSIGN_OR_RETURN(std::string secret_text, ReadFile(subject_secret_file));
  return FromText(kek_file, std::move(kek_text), subject_secret_file, std::move(secret_text));
}

absl::StatusOr<KeyRing> KeyRing::FromText(const std::string& kek_file, std::string kek_text,
                                          const std::string& subject_secret_file,
                                          std::string secret_text) {
  ASSIGN_OR_RETURN(std::vector<NamedKey> keks, ParseKeys(kek_file, std::move(kek_text)));
  ASSIGN_OR_RETURN(std::vector<NamedKey> secrets,
                   ParseKeys(subject_secret_file, std::move(secret_text)));
  if (secrets.size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(subject_secret_file, ": exactly one key"));
  }
  KeyRing ring{.current = keks[0], .previous = {}, .subject_secret = secrets[0].key};
  for (size_t i = 1; i < keks.size(); ++i) {
    if (keks[i].id == ring.current.id) {
      return absl::InvalidArgumentError(
          absl::StrCat(kek_file, ": key id ", keks[i].id, " appears twice"));
    }
    ring.previous.push_back(keks[i]);
  }
  return ring;
}

DataKeys::DataKeys(Store* store, KeyRing ring, const Clock* clock, TombstoneRepeats repeats,
                   RandomSource random)
    : store_(store),
      ring_(std::move(ring)),
      clock_(clock),
      repeats_(repeats),
      random_(std::move(random)) {}

std::string DataKeys::SubjectId(absl::string_view subject_value,
                                absl::string_view complaint_id) const {
  return KeyedHash(ring_.subject_secret, subject_value.empty()
                                             ? absl::StrCat("complaint:", complaint_id)
                                             : std::string(subject_value));
}

absl::StatusOr<std::vector<std::string>> DataKeys::KeysOf(const std::string& subject_id) const {
  std::vector<std::string> ids;
  // Key ids are "<subject>.<suffix>"; '/' follows '.', so this is the prefix range.
  RETURN_IF_ERROR(store_->Scan(kDataKeysFamily, absl::StrCat(subject_id, "."),
                               absl::StrCat(subject_id, "/"), 1000,
                               [&](absl::string_view key, absl::string_view) {
                                 ids.emplace_back(key);
                                 return true;
                               }));
  return ids;
}

absl::StatusOr<DataKeys::Key> DataKeys::ForSubject(const std::string& subject_id) const {
  ASSIGN_OR_RETURN(std::vector<std::string> existing, KeysOf(subject_id));
  if (!existing.empty()) {
    ASSIGN_OR_RETURN(SecretKey key, Get(existing.front()));
    return Key{existing.front(), std::move(key)};
  }
  uint8_t suffix[kKeySuffixChars / 2];
  random_(suffix, sizeof suffix);
  const std::string key_id =
      absl::StrCat(subject_id, ".",
                   absl::BytesToHexString(
                       absl::string_view(reinterpret_cast<const char*>(suffix), sizeof suffix)));
  SecretKey key = SecretKey::Generate(random_);
  v1::DataKeyRecord record;
  record.set_key_id(key_id);
  record.set_subject_id(subject_id);
  record.set_kek_id(ring_.current.id);
  record.set_wrapped(WrapKey(ring_.current.key, key, key_id, random_));
  *record.mutable_created_at() = ToProto(clock_->Now());
  return Key{key_id, std::move(key), std::move(record)};
}

OutboxRecord DataKeys::Stage(Batch& batch, const v1::DataKeyRecord& record) const {
  batch.Put(kDataKeysFamily, record.key_id(), record.SerializeAsString());
  return Publication(record);
}

absl::StatusOr<SecretKey> DataKeys::Get(const std::string& key_id) const {
  ASSIGN_OR_RETURN(std::optional<std::string> stored, store_->Get(kDataKeysFamily, key_id));
  if (!stored.has_value()) {
    return absl::FailedPreconditionError(
        "the complainant's personal data was erased (their data key is destroyed)");
  }
  v1::DataKeyRecord record;
  if (!record.ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("data key ", key_id, " is corrupt in the store"));
  }
  return Unwrap(record);
}

absl::StatusOr<SecretKey> DataKeys::Unwrap(const v1::DataKeyRecord& record) const {
  const SecretKey* kek = nullptr;
  if (record.kek_id() == ring_.current.id) kek = &ring_.current.key;
  for (const NamedKey& old : ring_.previous) {
    if (record.kek_id() == old.id) kek = &old.key;
  }
  if (kek == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data key ", record.key_id(), " is wrapped by KEK \"", EscapedPrefix(record.kek_id()),
        "\", which intake was not given (--kek_file)"));
  }
  absl::StatusOr<SecretKey> key = UnwrapKey(*kek, record.wrapped(), record.key_id());
  if (!key.ok()) {
    return absl::DataLossError(
        absl::StrCat("data key ", record.key_id(), " does not unwrap with KEK ", record.kek_id()));
  }
  return key;
}

OutboxRecord DataKeys::Publication(const v1::DataKeyRecord& record) const {
  return {std::string(topics::kKeys), record.key_id(), record.SerializeAsString()};
}

std::vector<OutboxRecord> DataKeys::Erase(Batch& batch, const std::vector<std::string>& key_ids,
                                          absl::Time erased_at) const {
  EraseLocal(batch, key_ids, erased_at);
  std::vector<OutboxRecord> tombstones;
  for (const std::string& key_id : key_ids) {
    tombstones.push_back(Tombstone(key_id));
    batch.Put(kErasedKeysFamily, RepeatKey(erased_at + repeats_.after, key_id),
              absl::StrCat(repeats_.times));
  }
  return tombstones;
}

void DataKeys::EraseLocal(Batch& batch, const std::vector<std::string>& key_ids,
                          absl::Time erased_at) const {
  for (const std::string& key_id : key_ids) {
    batch.Delete(kDataKeysFamily, key_id);
    batch.Put(kErasedKeysFamily, ErasedKey(key_id), absl::StrCat(absl::ToUnixMicros(erased_at)));
  }
  if (!key_ids.empty()) purge_needed_.store(true);
}

absl::StatusOr<bool> DataKeys::Erased(const std::string& key_id) const {
  ASSIGN_OR_RETURN(std::optional<std::string> marker,
                   store_->Get(kErasedKeysFamily, ErasedKey(key_id)));
  return marker.has_value();
}

absl::Status DataKeys::Purge() const {
  purge_needed_.store(false);
  return store_->Purge({kDataKeysFamily, Family::kOutbox});
}

absl::Status DataKeys::PurgeIfNeeded() const {
  return purge_needed_.load() ? Purge() : absl::OkStatus();
}

absl::StatusOr<DataKeys::Refusal> DataKeys::Check(const ConsumedRecord& record,
                                                  const RecordAuthority& authority) const {
  const int32_t home = PartitionOf(record.key, store_->partitions());
  if (record.tombstone) {
    if (absl::Status id = CheckKeyId(record.key); !id.ok()) {
      return Refusal{v1::DEAD_LETTER_KIND_FAILED_CHECK, std::string(id.message())};
    }
    if (record.partition != home) {
      return Refusal{v1::DEAD_LETTER_KIND_FORGED,
                     absl::StrCat("a tombstone on partition ", record.partition, " for key ",
                                  record.key, ", which belongs on partition ", home)};
    }
    ASSIGN_OR_RETURN(const bool erased, Erased(record.key));
    if (!erased) {
      return Refusal{v1::DEAD_LETTER_KIND_FORGED,
                     absl::StrCat("a tombstone for key ", record.key,
                                  ", which no erasure intake recorded names")};
    }
    return Refusal{};
  }
  v1::DataKeyRecord key;
  if (!key.ParseFromString(record.payload)) {
    return Refusal{v1::DEAD_LETTER_KIND_UNDECODABLE, "not a DataKeyRecord"};
  }
  if (absl::Status authentic = authority.Verify(record); !authentic.ok()) {
    return Refusal{v1::DEAD_LETTER_KIND_FORGED, std::string(authentic.message())};
  }
  if (absl::Status checked = CheckRecord(key, record.key); !checked.ok()) {
    return Refusal{v1::DEAD_LETTER_KIND_FAILED_CHECK, std::string(checked.message())};
  }
  if (record.partition != home) {
    return Refusal{v1::DEAD_LETTER_KIND_FAILED_CHECK,
                   absl::StrCat("on partition ", record.partition, "; key ", record.key,
                                " belongs on partition ", home)};
  }
  ASSIGN_OR_RETURN(const bool erased, Erased(record.key));
  if (erased) {
    return Refusal{v1::DEAD_LETTER_KIND_FAILED_CHECK,
                   absl::StrCat("key ", record.key, " was erased; it is not brought back")};
  }
  return Refusal{};
}

absl::Status DataKeys::Apply(const std::vector<ConsumedRecord>& records, DeadLetters* letters,
                             const RecordAuthority& authority) const {
  Batch batch;
  LetterBatch dead(letters, clock_->Now());
  bool erased_held = false;
  for (const ConsumedRecord& record : records) {
    ASSIGN_OR_RETURN(const Refusal refusal, Check(record, authority));
    if (refusal.kind != v1::DEAD_LETTER_KIND_UNSPECIFIED) {
      dead.Add(batch, record, refusal.kind, refusal.reason);
    } else if (record.tombstone) {
      ASSIGN_OR_RETURN(std::optional<std::string> held, store_->Get(kDataKeysFamily, record.key));
      erased_held |= held.has_value();
      batch.Delete(kDataKeysFamily, record.key);
    } else {
      batch.Put(kDataKeysFamily, record.key, record.payload);
    }
    StageConsumedOffset(batch, record);
  }
  RETURN_IF_ERROR(store_->Write(batch, Durability::kBuffered));
  dead.Written();
  // A key erased while this copy was away (a restored backup) leaves its files now.
  return erased_held ? Purge() : absl::OkStatus();
}

absl::StatusOr<size_t> DataKeys::Rewrap(Outbox* outbox, size_t limit) const {
  absl::MutexLock erasing(&erasure_mu_);
  std::vector<v1::DataKeyRecord> stale;
  RETURN_IF_ERROR(store_->Scan(
      kDataKeysFamily, "", "", SIZE_MAX, [&](absl::string_view, absl::string_view value) {
        v1::DataKeyRecord record;
        if (record.ParseFromArray(value.data(), static_cast<int>(value.size())) &&
            record.kek_id() != ring_.current.id) {
          stale.push_back(std::move(record));
        }
        return stale.size() < limit;
      }));
  if (stale.empty()) return 0;
  UnitOfWork unit(store_, outbox, Timeline::kSkip, nullptr, kViewParts);
  size_t rewrapped = 0;
  for (v1::DataKeyRecord& record : stale) {
    absl::StatusOr<SecretKey> key = Unwrap(record);
    if (!key.ok()) {
      log::Error("intake: data key {} not re-wrapped: {}", record.key_id(),
                 key.status().ToString());
      continue;
    }
    record.set_kek_id(ring_.current.id);
    record.set_wrapped(WrapKey(ring_.current.key, *key, record.key_id(), random_));
    unit.batch().Put(kDataKeysFamily, record.key_id(), record.SerializeAsString());
    RETURN_IF_ERROR(unit.Publish(Publication(record)));
    ++rewrapped;
  }
  RETURN_IF_ERROR(unit.Commit(Durability::kSynced));
  return rewrapped;
}

absl::StatusOr<size_t> DataKeys::RepeatTombstones(Outbox* outbox) const {
  absl::MutexLock lock(&repeat_mu_);
  const absl::Time now = clock_->Now();
  std::vector<std::pair<std::string, int>> due;  // entry key, repeats left
  RETURN_IF_ERROR(store_->Scan(kErasedKeysFamily, kRepeatPrefix,
                               RepeatKey(now + absl::Microseconds(1), ""), SIZE_MAX,
                               [&](absl::string_view key, absl::string_view value) {
                                 int left = 0;
                                 if (key.size() > kRepeatHeader && absl::SimpleAtoi(value, &left)) {
                                   due.emplace_back(std::string(key), left);
                                 }
                                 return true;
                               }));
  if (due.empty()) return 0;
  UnitOfWork unit(store_, outbox, Timeline::kSkip, nullptr, kViewParts);
  for (const auto& [entry, left] : due) {
    const std::string key_id = entry.substr(kRepeatHeader);
    RETURN_IF_ERROR(unit.Publish(Tombstone(key_id)));
    unit.batch().Delete(kErasedKeysFamily, entry);
    if (left > 1) {
      unit.batch().Put(kErasedKeysFamily, RepeatKey(now + repeats_.interval, key_id),
                       absl::StrCat(left - 1));
    }
  }
  RETURN_IF_ERROR(unit.Commit(Durability::kSynced));
  return due.size();
}

}  // namespace complaints::intake
