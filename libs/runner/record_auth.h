#pragma once
// Only a writer can write (docs/architecture.md invariant 8). Every record a writer
// publishes ends with its Authentication (common.proto): the writer's key id
// and a keyed BLAKE2b-256, under the writer's own secret — not its Kafka
// credential — of the topic, the record's Kafka key and the record's bytes
// before it. Every consumer verifies a record before it applies it; one that
// fails is a dead letter of kind FORGED. Records written before
// authentication began are accepted without one below the offsets recorded
// at the upgrade (UnauthenticatedRecords). A tombstone has no value to
// authenticate: its reader checks it against what it knows (DataKeys).
//
// The keys are symmetric: a service that verifies a writer's records holds
// that writer's key. The Kafka ACLs keep each service to its own topics;
// the keys keep a stolen Kafka credential from writing anything a consumer
// accepts. Immutable; thread-safe.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/events.pb.h"
#include "libs/crypto/sealing.h"
#include "libs/runner/records.h"

namespace complaints {

// The writer of each platform topic (intake also writes evidence and keys;
// tracking the notifications); WRITER_UNSPECIFIED for any other topic.
v1::Writer OwnerOfTopic(absl::string_view topic);

// "intake", "dispatch", "tracking", "analytics".
std::string WriterFileName(v1::Writer writer);

// A signed record: the bytes its writer signed and the authentication
// appended to them (found from the end: its tag, its one-byte length, and
// nothing after it; the body is not parsed).
struct SignedRecord {
  absl::string_view body;
  // The Authentication's fields, as views into the payload.
  absl::string_view key_id;
  absl::string_view mac;
};
// nullopt when `payload` does not end with an authentication.
std::optional<SignedRecord> SplitSigned(absl::string_view payload);

// Every writer's keys, each writer's current one first.
struct WriterKeyring {
  std::map<v1::Writer, std::vector<NamedKey>> keys;

  // From `dir`/<writer>.keys for each of the four writers: one
  // "<key id> <64 hex>" line per key, the current one first (rotation: a new
  // key goes first, older ones stay below until nothing signed with them is
  // left to read). INVALID_ARGUMENT naming the file; no key in a message.
  static absl::StatusOr<WriterKeyring> Load(const std::string& dir);
};

class RecordAuthority {
 public:
  // Signs as `self` (WRITER_UNSPECIFIED: a service that only reads), and
  // verifies every writer's records. INVALID_ARGUMENT when a writer has no
  // key, or `legacy` names a topic no writer owns.
  static absl::StatusOr<std::shared_ptr<const RecordAuthority>> Create(
      v1::Writer self, WriterKeyring keys, v1::UnauthenticatedRecords legacy = {});

  v1::Writer self() const { return self_; }

  // `payload` (a record of `topic` with Kafka key `key`) with self's
  // Authentication appended as its last field.
  std::string Sign(absl::string_view topic, absl::string_view key, absl::string_view payload) const;

  // OK when `record` carries a valid authentication by its topic's writer,
  // or lies below the partition's recorded offset (read as before the mark:
  // records written before authentication began, or signed with a key since
  // retired).
  // Otherwise the reason, for the dead letter (PERMISSION_DENIED). A
  // tombstone is OK here (nothing to verify).
  absl::Status Verify(const ConsumedRecord& record) const;

 private:
  RecordAuthority(v1::Writer self, WriterKeyring keys,
                  std::map<std::pair<std::string, int32_t>, int64_t> legacy)
      : self_(self), keys_(std::move(keys)), legacy_(std::move(legacy)) {}

  v1::Writer self_;
  WriterKeyring keys_;
  std::map<std::pair<std::string, int32_t>, int64_t> legacy_;  // (topic, partition) -> below
};

}  // namespace complaints
