#include "libs/runner/commands.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "libs/core/ids.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"

namespace complaints {
namespace {

// The idempotency family's value: the big-endian request fingerprint, then
// the serialised answer.
constexpr size_t kFingerprintBytes = 8;

// First-use time (big-endian micros) then the key: a prefix scan finds the oldest.
std::string ExpiryKey(absl::Time used, absl::string_view key) {
  return absl::StrCat(EncodeOrderedKey(static_cast<uint64_t>(absl::ToUnixMicros(used))), key);
}

}  // namespace

v1::CommandOrigin OriginOf(const CommandKind& kind, const google::protobuf::Message& request,
                           absl::string_view idempotency_key, bool key_expires) {
  std::string bytes = kind.name;
  bytes.push_back('\0');
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  v1::CommandOrigin origin;
  origin.set_command(kind.name);
  origin.set_idempotency_key(std::string(idempotency_key));
  origin.set_request_fingerprint(StableHash(bytes));
  origin.set_key_expires(key_expires);
  return origin;
}

absl::Mutex& CommandRunner::LockFor(absl::string_view idempotency_key) {
  return key_locks_[StableHash(idempotency_key) % key_locks_.size()];
}

void CommandRunner::StageKey(Batch& batch, const v1::CommandOrigin& origin, absl::Time first_used,
                             const google::protobuf::Message& answer) const {
  batch.Put(
      Family::kIdempotency, origin.idempotency_key(),
      absl::StrCat(EncodeOrderedKey(origin.request_fingerprint()), answer.SerializeAsString()));
  if (origin.key_expires()) {
    batch.Put(Family::kKeyExpiry, ExpiryKey(first_used, origin.idempotency_key()), "");
  }
}

absl::StatusOr<bool> CommandRunner::Run(const CommandKind& kind, const v1::CommandOrigin& origin,
                                        const std::string& complaint_id, EventContext context,
                                        const Decide& decide, google::protobuf::Message* answer) {
  const bool keyed = !origin.idempotency_key().empty();
  absl::Mutex* lock = keyed ? &LockFor(origin.idempotency_key()) : nullptr;
  absl::MutexLockMaybe locked(lock);
  std::optional<WriteGate::Exclusive> alone;
  std::optional<WriteGate::OneComplaint> one;
  if (options_.exclusive) {
    alone.emplace(options_.gate);
  } else {
    one.emplace(options_.gate, complaint_id);
  }
  if (keyed) {
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     options_.store->Get(Family::kIdempotency, origin.idempotency_key()));
    if (stored.has_value()) {
      if (stored->size() < kFingerprintBytes ||
          !answer->ParseFromString(stored->substr(kFingerprintBytes))) {
        return absl::DataLossError("the stored answer for this idempotency key is unreadable");
      }
      if (DecodeOrderedKey(*stored) != origin.request_fingerprint()) {
        return absl::AlreadyExistsError("idempotency_key: already used for a different request");
      }
      return true;
    }
    context.origin = origin;
  }
  UnitOfWork unit(options_.store, options_.outbox, options_.timeline, options_.record_hook,
                  options_.view_parts);
  RETURN_IF_ERROR(decide(unit, context));
  ASSIGN_OR_RETURN(const v1::ComplaintView* view, unit.View(complaint_id));
  kind.answer_of(*view, answer);
  if (keyed) StageKey(unit.batch(), origin, context.recorded_at, *answer);
  // The one info line of a command (its events are debug lines).
  if (log::Enabled(log::Level::kInfo)) {
    unit.Note(log::Level::kInfo,
              {.complaint_id = complaint_id, .causation_id = context.causation_id},
              absl::StrCat(kind.name, " by ", context.actor.id(),
                           unit.has_events() ? "" : ": nothing to record"));
  }
  RETURN_IF_ERROR(unit.Commit(Durability::kSynced));
  return false;
}

absl::StatusOr<bool> CommandRunner::Seen(absl::string_view idempotency_key) const {
  if (idempotency_key.empty()) return false;
  ASSIGN_OR_RETURN(std::optional<std::string> stored,
                   options_.store->Get(Family::kIdempotency, idempotency_key));
  return stored.has_value();
}

void CommandRunner::Restore(UnitOfWork& unit, const v1::Envelope& event,
                            const v1::ComplaintView& after) const {
  const v1::CommandOrigin& origin = event.origin();
  if (origin.idempotency_key().empty()) return;
  const absl::Time first_used = FromProto(event.recorded_at());
  if (origin.key_expires() && first_used + options_.key_retention <= options_.clock->Now()) return;
  for (const CommandKind& kind : options_.kinds) {
    if (kind.name != origin.command()) continue;
    std::unique_ptr<google::protobuf::Message> answer(kind.answer_prototype->New());
    kind.answer_of(after, answer.get());
    StageKey(unit.batch(), origin, first_used, *answer);
    return;
  }
}

absl::StatusOr<size_t> CommandRunner::ExpireKeys(size_t limit) {
  const std::string end = EncodeOrderedKey(
      static_cast<uint64_t>(absl::ToUnixMicros(options_.clock->Now() - options_.key_retention)));
  Batch batch;
  size_t expired = 0;
  RETURN_IF_ERROR(options_.store->Scan(
      Family::kKeyExpiry, "", end, limit, [&](absl::string_view index, absl::string_view) {
        batch.Delete(Family::kKeyExpiry, index);
        batch.Delete(Family::kIdempotency, index.substr(kFingerprintBytes));
        ++expired;
        return true;
      }));
  if (expired > 0) RETURN_IF_ERROR(options_.store->Write(batch, Durability::kSynced));
  return expired;
}

}  // namespace complaints
