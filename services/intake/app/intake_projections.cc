#include "services/intake/app/intake_projections.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"
#include "libs/runner/partitioning.h"
#include "services/intake/app/evidence_store.h"
#include "services/intake/app/intake_families.h"

namespace complaints::intake {

std::string SubjectKey(absl::string_view subject_id, absl::string_view complaint_id) {
  return absl::StrCat(subject_id, "/", complaint_id);
}

absl::StatusOr<DataKeys::Key> PersonalFold::ForSubject(const std::string& subject_id) {
  for (const DataKeys::Key& made : made_) {
    if (made.record.has_value() && made.record->subject_id() == subject_id) return made;
  }
  ASSIGN_OR_RETURN(DataKeys::Key key, keys_->ForSubject(subject_id));
  if (key.record.has_value()) {
    fresh_.push_back(*key.record);
    made_.push_back(key);
  }
  return key;
}

absl::Status PersonalFold::Fold(Batch& batch, const ChangedComplaint& change) {
  for (const v1::DataKeyRecord& record : fresh_)
    publications_.push_back(keys_->Stage(batch, record));
  fresh_.clear();
  for (size_t i = 0; i < change.events.size(); ++i) {
    const v1::Envelope& event = change.events[i];
    if (!event.has_received() && !event.has_erasure_requested()) continue;
    const std::string contact_key = ComplaintKey(change.complaint_id, store_->partitions());
    if (event.has_received() && event.received().has_personal()) {
      // The sealed personal data, which the mail sender and the audited reads open.
      batch.Put(kContactsFamily, contact_key, event.received().personal().SerializeAsString());
      batch.Put(kSubjectsFamily, SubjectKey(event.received().subject_id(), change.complaint_id),
                "");
    } else if (event.has_erasure_requested()) {
      const auto& ids = event.erasure_requested().erased_key_ids();
      const std::vector<std::string> key_ids(ids.begin(), ids.end());
      const absl::Time erased_at = FromProto(event.recorded_at());
      if (change.Decided(i)) {
        for (OutboxRecord& tombstone : keys_->Erase(batch, key_ids, erased_at)) {
          publications_.push_back(std::move(tombstone));
        }
      } else {
        // Read back (a rebuild, or an older backup restored): the keys go
        // again, should the store hold them; their tombstones went long ago.
        keys_->EraseLocal(batch, key_ids, erased_at);
      }
      batch.Delete(kContactsFamily, contact_key);
    }
  }
  return absl::OkStatus();
}

std::vector<OutboxRecord> PersonalFold::TakePublications() {
  std::vector<OutboxRecord> taken;
  taken.swap(publications_);
  return taken;
}

ProjectionSpec PersonalProjection(const Store* store, const DataKeys* keys) {
  return {.name = "personal data",
          .begin = [store, keys]() -> absl::StatusOr<std::unique_ptr<ProjectionFold>> {
            return std::make_unique<PersonalFold>(store, keys);
          }};
}

absl::Status EvidenceFold::Fold(Batch& batch, const ChangedComplaint& change) {
  for (size_t i = change.consumed; i < change.events.size(); ++i) {
    const v1::Envelope& event = change.events[i];
    if (!event.has_evidence_attached()) continue;
    // The file's record comes last, with the event, so a crash midway
    // through the upload leaves no file that looks complete.
    StageFileRecord(batch, change.complaint_id, event.evidence_attached().attachment(),
                    change.after.intake().key_id(), partitions_);
  }
  return absl::OkStatus();
}

ProjectionSpec EvidenceProjection(int partitions) {
  return {.name = "evidence files",
          .begin = [partitions]() -> absl::StatusOr<std::unique_ptr<ProjectionFold>> {
            return std::make_unique<EvidenceFold>(partitions);
          }};
}

std::string MailQueueKey(absl::string_view notification_id) {
  return absl::StrCat("n/", notification_id);
}

std::string MailDueKey(absl::Time at, absl::string_view notification_id) {
  return absl::StrCat(kMailDuePrefix,
                      EncodeOrderedKey(static_cast<uint64_t>(absl::ToUnixMicros(at))),
                      notification_id);
}

ScheduledQueue MailSchedule() {
  return {.kind = "mail", .family = kMailFamily, .prefixes = {std::string(kMailDuePrefix)}};
}

absl::Status MailFold::Fold(Batch& batch, const ChangedComplaint& change) {
  if (!attempt_.has_value()) return absl::OkStatus();
  Attempt attempt = *std::move(attempt_);
  attempt_.reset();
  batch.Delete(kMailFamily, attempt.due_key);
  const std::string& id = attempt.mail.notification().notification_id();
  const auto retry = std::find_if(change.events.begin(), change.events.end(), [&](const auto& e) {
    return e.has_notification_delivery() && e.notification_delivery().notification_id() == id &&
           e.notification_delivery().outcome() == v1::DELIVERY_OUTCOME_RETRYING;
  });
  if (retry == change.events.end()) {
    // Sent, given up, undeliverable, or finished before (nothing decided).
    batch.Delete(kMailFamily, MailQueueKey(id));
    return absl::OkStatus();
  }
  const v1::NotificationDelivery& delivery = retry->notification_delivery();
  attempt.mail.set_attempts(delivery.attempt());
  *attempt.mail.mutable_next_attempt_at() = delivery.next_attempt_at();
  batch.Put(kMailFamily, MailQueueKey(id), attempt.mail.SerializeAsString());
  batch.Put(kMailFamily, MailDueKey(FromProto(delivery.next_attempt_at()), id), "");
  return absl::OkStatus();
}

ProjectionSpec MailProjection() {
  return {.name = "mail queue", .begin = []() -> absl::StatusOr<std::unique_ptr<ProjectionFold>> {
            return std::make_unique<MailFold>();
          }};
}

}  // namespace complaints::intake
