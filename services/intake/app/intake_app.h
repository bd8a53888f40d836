#pragma once
// The intake shell: its declared commands (intake_spec.h) run through the
// spec runtime, which makes each result durable — events in the outbox, the
// view, the projections and the idempotency key in one synced batch — before
// answering (docs/architecture.md invariants 1 and 4); beside them the
// audited reads of personal data, evidence uploads and downloads, and the
// complainants' mail. Intake reads its own topic back: on a store that was
// deleted that rebuilds the views, projections and idempotency keys, and
// commands wait (UNAVAILABLE) until it is done.
// Thread-safe; concurrent submissions share WAL syncs.

#include <atomic>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "complaints/v1/intake.pb.h"
#include "libs/complaint/redaction.h"
#include "libs/core/clock.h"
#include "libs/core/ids.h"
#include "libs/mail/smtp_client.h"
#include "libs/runner/consumed_batch.h"
#include "libs/runner/scheduled_backlog.h"
#include "libs/runner/spec_runner.h"
#include "services/intake/app/data_keys.h"
#include "services/intake/app/evidence_upload.h"
#include "services/intake/domain/intake_decider.h"
#include "services/intake/domain/mail.h"
#include "services/intake/domain/verification.h"

namespace complaints::intake {

struct IntakeAppOptions {
  // dead_letters may be null: the app then reads nothing back, as in tests
  // of the command path alone.
  RunnerParts parts;
  IdGenerator* ids = nullptr;
  const Classifier* classifier = nullptr;
  const VerificationDecider* verification = nullptr;
  // The complainants' data keys: personal data is sealed under them before
  // it is recorded (required).
  const DataKeys* keys = nullptr;
  // Beyond this many events waiting for Kafka, submissions are refused with
  // UNAVAILABLE (retry later) instead of growing the outbox without end.
  uint64_t outbox_high_water = 100'000;
  // Client idempotency keys are forgotten after this; keys that name a record
  // of another system (prefix "import:") never are.
  absl::Duration key_retention = absl::Hours(24 * 30);
  // §2.2 the largest evidence file an upload may carry, and where uploads
  // are spooled while they arrive (required to take uploads).
  size_t max_evidence_bytes = 25 << 20;
  std::string upload_dir = "";
  // Sends the complainants' e-mail notifications; null: intake sends none.
  SmtpClient* mailer = nullptr;
  MailPolicy mail = {};
};

class IntakeApp {
 public:
  explicit IntakeApp(IntakeAppOptions options);

  // The declared commands (intake_spec.h), run through the spec runtime:
  // SubmitComplaint, ImportCase and the staff commands. Submissions answer
  // OK with duplicate=true and the original answer for a repeated key;
  // INVALID_ARGUMENT naming the field; ALREADY_EXISTS for a key used for a
  // different request; UNAVAILABLE while the outbox is above its high-water
  // mark or the store is being rebuilt from the topic.
  SpecRunner& commands() { return runner_; }

  // §4.2 RequestErasure (a declared command), held against a key re-wrap
  // and followed by a purge: the deleted keys leave intake's files (WAL and
  // tables) now, not at some later compaction.
  absl::StatusOr<v1::RequestErasureResponse> RequestErasure(
      const v1::RequestErasureRequest& request, const v1::Actor& actor);

  // §4.2 the complaint's personal data unsealed, with what `access` may not
  // see masked; the read is recorded (PersonalDataRead, with `reason`) before
  // it is answered. NOT_FOUND for an unknown complaint, PERMISSION_DENIED
  // outside a handler's holding, FAILED_PRECONDITION once erased.
  absl::StatusOr<v1::GetPersonalDataResponse> GetPersonalData(
      const v1::GetPersonalDataRequest& request, const v1::Actor& actor,
      const PersonalDataAccess& access);
  // PIPL art. 45: every complaint of the same complainant, unsealed; each
  // complaint's read recorded like GetPersonalData.
  absl::StatusOr<v1::ExportPersonalDataResponse> ExportPersonalData(
      const v1::ExportPersonalDataRequest& request, const v1::Actor& actor);

  // §2.2 evidence uploads, streamed (evidence_upload.h): the session a
  // gRPC upload feeds, spooling to options.upload_dir.
  std::unique_ptr<EvidenceUpload> StartEvidenceUpload(absl::StatusOr<v1::Actor> actor);
  // Whether `actor` may upload the file `header` describes, decided before
  // any byte is read: a valid key, a known complaint within the actor's
  // scope with room for another attachment, a declared size within
  // max_evidence_bytes (CheckUploadHeader).
  absl::Status CheckUpload(const v1::EvidenceHeader& header, const v1::Actor& actor) const;
  // A received file, in a spool file.
  struct EvidenceFile {
    std::string path;
    size_t size = 0;
    std::string sha256;
    std::string media_type;  // read from the content
  };
  // Stores `file`: its bytes, sealed chunk by chunk (one small batch each,
  // so memory stays flat), into the store and complaints.evidence.v1, then
  // the file's record and the EvidenceAttached event in one batch with the
  // idempotency key. The same file again for the same complaint records
  // nothing.
  absl::StatusOr<v1::AttachEvidenceResponse> AttachEvidenceFile(const v1::EvidenceHeader& header,
                                                                const EvidenceFile& file,
                                                                const v1::Actor& actor);
  // Sends the file's metadata, then its bytes in order, through `write`
  // (which returns false when the caller is gone). NOT_FOUND for a file the
  // complaint does not have; UNAVAILABLE while its bytes are being restored
  // from the topic.
  absl::Status GetEvidence(const v1::GetEvidenceRequest& request, const v1::Actor& actor,
                           const std::function<bool(const v1::GetEvidenceResponse&)>& write);
  // Stores evidence records read from complaints.evidence.v1 with their
  // offsets (what restores a deleted store); a record no writer of ours
  // made is a dead letter.
  absl::Status ApplyEvidence(const std::vector<ConsumedRecord>& records);
  size_t max_evidence_bytes() const { return options_.max_evidence_bytes; }

  // Queues the notifications read from complaints.notifications.v1 that
  // intake mails (the complainant's, by e-mail), with their offsets; a
  // record that fails its check is a dead letter. A notification queued,
  // or finished, before is not queued again.
  absl::Status QueueMail(const std::vector<ConsumedRecord>& records);
  // Sends up to `limit` queued notifications that are due, resolving the
  // address now, and records each attempt (NotificationDelivery) on intake's
  // topic; a failure that may pass is tried again later. Returns how many
  // were attempted. Sends nothing before the read-back (SetAccepting).
  // At least once: a crash between the server's acceptance and the record
  // sends the message again, with the same Message-ID.
  absl::StatusOr<size_t> SendDueMail(size_t limit = 100);

  // Submissions are refused until SetAccepting(true): the shell calls it at
  // once for a store that has state, and after reading back the own topic for
  // a fresh one (a deleted store must not take a repeated key as new).
  void SetAccepting(bool accepting) { accepting_.store(accepting); }

  // Reads intake's own events back, and dispatch's (the EventConsumer handler).
  ConsumedApplier& applier() { return runner_.applier(); }

 private:
  // One queued notification's attempt, recorded with the queue's change.
  absl::Status Attempt(const std::string& due_key, const std::string& notification_id,
                       absl::Time now);
  // What the attempt `command` comes to, the address resolved now and the
  // message sent when it is due.
  absl::Status Send(RecordDelivery& command, absl::Time now);

  // A read of personal data, checked: the complaint id and reason cleaned
  // (INVALID_ARGUMENT naming them), the complaint known (NOT_FOUND).
  struct ReadRequest {
    std::string complaint_id;
    std::string reason;
    v1::ComplaintView view;
  };
  absl::StatusOr<ReadRequest> CheckRead(std::string complaint_id, const std::string& reason) const;
  // The complaint's view as stored.
  absl::StatusOr<v1::ComplaintView> StoredView(const std::string& complaint_id) const;
  // The bytes of `file`, sealed, in the store and outbox (AttachEvidenceFile).
  absl::Status StoreChunks(const std::string& complaint_id, const v1::Attachment& attachment,
                           const EvidenceFile& file);
  // The complaint's personal data unsealed; nullopt when it was recorded
  // before sealing or has none. FAILED_PRECONDITION once erased.
  absl::StatusOr<std::optional<v1::PersonalData>> Unseal(const std::string& complaint_id) const;
  // Records that `actor` read the complaint's personal data (`fields`).
  absl::Status RecordRead(const std::string& complaint_id, const v1::Actor& actor,
                          const std::string& reason, const std::vector<std::string>& fields,
                          bool export_read);

  IntakeAppOptions options_;
  IntakeDecider decider_;
  MailDecider mail_decider_;
  std::atomic<bool> accepting_{true};
  SpecRunner runner_;
};

}  // namespace complaints::intake
