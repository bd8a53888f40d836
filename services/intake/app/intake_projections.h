#pragma once
// What intake keeps beside its views, each a projection of intake's own
// events (intake_spec.cc declares them), on the command path and on a
// read-back alike:
//  - personal data: each complaint's sealed personal data (family kContacts)
//    for the mail sender and the audited reads, a complainant's complaints
//    (kSubjects), and the complainants' data keys (DataKeys): a key made for
//    a submission is stored and published with the event it seals; an
//    erasure deletes the subject's keys and, decided now, publishes their
//    tombstones;
//  - evidence files: a file's record (kEvidence) once its EvidenceAttached is
//    decided (its bytes were stored as they arrived: evidence_store.h);
//  - the mail queue (kMail): what an attempt leaves of a queued notification.

#include <optional>
#include <string>
#include <vector>

#include "complaints/v1/state.pb.h"
#include "libs/runner/scheduled_backlog.h"
#include "libs/runner/service_spec.h"
#include "services/intake/app/data_keys.h"

namespace complaints::intake {

class PersonalFold final : public ProjectionFold {
 public:
  PersonalFold(const Store* store, const DataKeys* keys) : store_(store), keys_(keys) {}
  absl::Status Fold(Batch& batch, const ChangedComplaint& change) override;
  std::vector<OutboxRecord> TakePublications() override;

  // A key of `subject_id` to seal with; a new one is stored with this unit.
  absl::StatusOr<DataKeys::Key> ForSubject(const std::string& subject_id);
  // The ids of the keys `subject_id` has.
  absl::StatusOr<std::vector<std::string>> KeysOf(const std::string& subject_id) const {
    return keys_->KeysOf(subject_id);
  }

 private:
  const Store* store_;
  const DataKeys* keys_;
  std::vector<DataKeys::Key> made_;       // keys made in this unit
  std::vector<v1::DataKeyRecord> fresh_;  // of those, not staged yet
  std::vector<OutboxRecord> publications_;
};
ProjectionSpec PersonalProjection(const Store* store, const DataKeys* keys);

// Family kSubjects: "<subject id>/<complaint id>" -> "".
std::string SubjectKey(absl::string_view subject_id, absl::string_view complaint_id);

class EvidenceFold final : public ProjectionFold {
 public:
  explicit EvidenceFold(int partitions) : partitions_(partitions) {}
  absl::Status Fold(Batch& batch, const ChangedComplaint& change) override;

 private:
  int partitions_;
};
ProjectionSpec EvidenceProjection(int partitions);

// Family kMail, per queued notification:
//   "n/<notification id>"                       -> QueuedMail
//   "d/<next attempt, big-endian micros><id>"   -> ""   (what falls due when)
std::string MailQueueKey(absl::string_view notification_id);
std::string MailDueKey(absl::Time at, absl::string_view notification_id);
inline constexpr absl::string_view kMailDuePrefix = "d/";
inline constexpr size_t kMailDueTimeBytes = 8;
// The queue as a schedule, for the status port's backlog figures.
ScheduledQueue MailSchedule();

class MailFold final : public ProjectionFold {
 public:
  absl::Status Fold(Batch& batch, const ChangedComplaint& change) override;
  // The attempt this unit decides on `mail`, which fell due under `due_key`:
  // the entry leaves the queue, and comes back at its next attempt when the
  // decision says RETRYING.
  void Attempted(std::string due_key, v1::QueuedMail mail) {
    attempt_ = Attempt{std::move(due_key), std::move(mail)};
  }

 private:
  struct Attempt {
    std::string due_key;
    v1::QueuedMail mail;
  };
  std::optional<Attempt> attempt_;
};
ProjectionSpec MailProjection();

}  // namespace complaints::intake
