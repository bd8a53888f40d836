#include "services/intake/app/intake_app.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "libs/core/status_macros.h"
#include "libs/runner/topics.h"
#include "libs/runner/unit_of_work.h"

namespace complaints::intake {
namespace {

// What the idempotency family stores: the answer, and a fingerprint of the request.
std::string EncodeIdempotencyRecord(uint64_t fingerprint,
                                    const v1::SubmitComplaintResponse& answer) {
  return absl::StrCat(EncodeOrderedKey(fingerprint), answer.SerializeAsString());
}

uint64_t Fingerprint(const v1::SubmitComplaintRequest& request) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  request.SerializeToCodedStream(&coded);
  coded.Trim();
  return StableHash(bytes);
}

// Another system's record id: re-importing it must record nothing, ever.
constexpr char kImportKeyPrefix[] = "import:";

// First-use time (big-endian micros) then the key: a prefix scan finds the oldest.
std::string ExpiryKey(absl::Time used, absl::string_view key) {
  return absl::StrCat(EncodeOrderedKey(static_cast<uint64_t>(absl::ToUnixMicros(used))), key);
}

}  // namespace

absl::StatusOr<size_t> IntakeApp::ExpireKeys(size_t limit) {
  const std::string end = EncodeOrderedKey(
      static_cast<uint64_t>(absl::ToUnixMicros(options_.clock->Now() - options_.key_retention)));
  Batch batch;
  size_t expired = 0;
  RETURN_IF_ERROR(options_.store->Scan(Family::kKeyExpiry, "", end, limit,
                                       [&](absl::string_view index, absl::string_view) {
                                         batch.Delete(Family::kKeyExpiry, index);
                                         batch.Delete(Family::kIdempotency, index.substr(8));
                                         ++expired;
                                         return true;
                                       }));
  if (expired > 0) RETURN_IF_ERROR(options_.store->Write(batch, Durability::kSynced));
  return expired;
}

IntakeApp::IntakeApp(IntakeAppOptions options) : options_(options), decider_(options.classifier) {}

absl::Mutex& IntakeApp::LockFor(absl::string_view idempotency_key) {
  return key_locks_[StableHash(idempotency_key) % key_locks_.size()];
}

absl::StatusOr<v1::SubmitComplaintResponse> IntakeApp::Submit(
    const v1::SubmitComplaintRequest& request) {
  const absl::Time now = options_.clock->Now();
  if (options_.outbox->depth() >= options_.outbox_high_water) {
    return absl::UnavailableError(
        absl::StrCat("intake: ", options_.outbox->depth(),
                     " events are waiting for Kafka (the outbox's high-water mark); retry later"));
  }
  absl::MutexLock lock(&LockFor(request.idempotency_key()));
  const uint64_t fingerprint = Fingerprint(request);
  if (!request.idempotency_key().empty()) {
    ASSIGN_OR_RETURN(std::optional<std::string> stored,
                     options_.store->Get(Family::kIdempotency, request.idempotency_key()));
    if (stored.has_value()) {
      v1::SubmitComplaintResponse original;
      if (stored->size() < 8 || !original.ParseFromString(stored->substr(8))) {
        return absl::DataLossError("stored idempotency record is corrupt");
      }
      if (DecodeOrderedKey(*stored) != fingerprint) {
        return absl::AlreadyExistsError("idempotency_key: already used for a different request");
      }
      original.set_duplicate(true);
      return original;
    }
  }
  const std::string complaint_id = options_.ids->NewComplaintId(now);
  UnitOfWork unit(options_.store, options_.outbox, Timeline::kSkip);
  EventContext context{now, now, request.actor(),
                       absl::StrCat("submit:", request.idempotency_key())};
  if (context.actor.id().empty()) {
    context.actor.set_id(absl::StrCat("channel:", v1::Channel_Name(request.channel())));
    context.actor.set_role("intake-system");
  }
  ASSIGN_OR_RETURN(std::vector<v1::Envelope> events,
                   RunDecider(unit, decider_, SubmitComplaint{request, now}, complaint_id,
                              v1::WRITER_INTAKE, topics::kIntake, context));
  v1::SubmitComplaintResponse answer;
  answer.set_complaint_id(complaint_id);
  for (const v1::Envelope& event : events) {
    if (event.has_classified()) {
      answer.set_category(event.classified().category());
      answer.set_priority(event.classified().priority());
    }
  }
  unit.batch().Put(Family::kIdempotency, request.idempotency_key(),
                   EncodeIdempotencyRecord(fingerprint, answer));
  if (!absl::StartsWith(request.idempotency_key(), kImportKeyPrefix)) {
    unit.batch().Put(Family::kKeyExpiry, ExpiryKey(now, request.idempotency_key()), "");
  }
  RETURN_IF_ERROR(unit.Commit(Durability::kSynced));
  return answer;
}

}  // namespace complaints::intake
