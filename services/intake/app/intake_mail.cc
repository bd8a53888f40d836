// §3.4/§5.2 the complainants' e-mail: the queue (family kMail,
// intake_projections.h) fed from complaints.notifications.v1, and the sender
// that works it. The queue changes in the batch that records an attempt (the
// mail-queue projection), so an attempt is recorded once and the queue never
// holds a notification twice.
#include "absl/strings/str_cat.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "libs/runner/consumption.h"
#include "libs/runner/dead_letters.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/topics.h"
#include "libs/runner/write_gate.h"
#include "services/intake/app/intake_app.h"
#include "services/intake/app/intake_families.h"
#include "services/intake/app/intake_projections.h"

namespace complaints::intake {
absl::Status IntakeApp::QueueMail(const std::vector<ConsumedRecord>& records) {
  Batch batch;
  LetterBatch dead(options_.parts.dead_letters, options_.parts.clock->Now());
  std::set<std::string> queued;  // in this batch
  const int partitions = options_.parts.store->partitions();
  for (const ConsumedRecord& record : records) {
    v1::Notification notification;
    const bool parsed = notification.ParseFromString(record.payload);
    // A notification tracking did not write (someone with Kafka access) sends nothing.
    if (parsed && !dead.Authentic(batch, record, options_.parts.outbox->authority())) {
      StageConsumedOffset(batch, record);
      continue;
    }
    const absl::Status checked = parsed ? CheckNotification(notification, record.key)
                                        : absl::InvalidArgumentError("not a Notification");
    if (!checked.ok()) {
      dead.Add(batch, record,
               parsed ? v1::DEAD_LETTER_KIND_FAILED_CHECK : v1::DEAD_LETTER_KIND_UNDECODABLE,
               checked.message());
    } else if (MailedByIntake(notification)) {
      const std::string& id = notification.notification_id();
      ASSIGN_OR_RETURN(std::optional<std::string> waiting,
                       options_.parts.store->Get(kMailFamily, MailQueueKey(id)));
      ASSIGN_OR_RETURN(std::optional<std::string> stored,
                       options_.parts.store->Get(
                           Family::kState, ComplaintKey(notification.complaint_id(), partitions)));
      v1::ComplaintView view;
      if (stored.has_value() && !view.ParseFromString(*stored)) {
        return absl::DataLossError(absl::StrCat(
            "intake: the view of ", EscapedPrefix(notification.complaint_id()), " does not parse"));
      }
      // Tracking's relay may publish a record twice; a rebuilt store reads
      // what was finished long ago.
      if (!waiting.has_value() && !MailDone(view, id) && queued.insert(id).second) {
        v1::QueuedMail mail;
        *mail.mutable_notification() = notification;
        *mail.mutable_next_attempt_at() = notification.recorded_at();
        batch.Put(kMailFamily, MailQueueKey(id), mail.SerializeAsString());
        batch.Put(kMailFamily, MailDueKey(FromProto(notification.recorded_at()), id), "");
      }
    }
    StageConsumedOffset(batch, record);
  }
  RETURN_IF_ERROR(options_.parts.store->Write(batch, Durability::kBuffered));
  dead.Written();
  return absl::OkStatus();
}

absl::StatusOr<size_t> IntakeApp::SendDueMail(size_t limit) {
  if (options_.mailer == nullptr || !accepting_.load()) return 0;
  const absl::Time now = options_.parts.clock->Now();
  const std::string end = MailDueKey(now + absl::Microseconds(1), "");
  std::vector<std::string> due;
  RETURN_IF_ERROR(options_.parts.store->Scan(kMailFamily, kMailDuePrefix, end, limit,
                                             [&](absl::string_view key, absl::string_view) {
                                               due.emplace_back(key);
                                               return due.size() < limit;
                                             }));
  for (const std::string& key : due) {
    if (key.size() <= kMailDuePrefix.size() + kMailDueTimeBytes) {
      Batch batch;
      batch.Delete(kMailFamily, key);
      RETURN_IF_ERROR(options_.parts.store->Write(batch, Durability::kBuffered));
      continue;
    }
    RETURN_IF_ERROR(Attempt(key, key.substr(kMailDuePrefix.size() + kMailDueTimeBytes), now));
  }
  return due.size();
}

absl::Status IntakeApp::Attempt(const std::string& due_key, const std::string& notification_id,
                                absl::Time now) {
  ASSIGN_OR_RETURN(std::optional<std::string> stored,
                   options_.parts.store->Get(kMailFamily, MailQueueKey(notification_id)));
  v1::QueuedMail mail;
  if (!stored.has_value() || !mail.ParseFromString(*stored)) {
    log::Warn("intake: dropping a mail queue entry without its notification {}",
              EscapedPrefix(notification_id, 80));
    Batch batch;
    batch.Delete(kMailFamily, due_key);
    return options_.parts.store->Write(batch, Durability::kBuffered);
  }
  const v1::Notification& notification = mail.notification();
  RecordDelivery command{.complaint_id = notification.complaint_id(),
                         .notification = notification,
                         .attempt = mail.attempts() + 1,
                         .now = now};
  RETURN_IF_ERROR(Send(command, now));
  // Buffered: the relay syncs the WAL before it publishes the attempt.
  return runner_
      .Run(Act{.complaint_id = command.complaint_id,
               .role = "mailer",
               .causation_id = absl::StrCat("mail:", notification_id, "#", command.attempt)},
           [this, command, due_key, mail](const v1::ComplaintView& view, const DecisionUnit& unit) {
             unit.projection<MailFold>().Attempted(due_key, mail);
             return mail_decider_.Decide(command, view);
           })
      .status();
}

absl::Status IntakeApp::Send(RecordDelivery& command, absl::Time now) {
  const v1::Notification& notification = command.notification;
  const std::string& notification_id = notification.notification_id();
  ASSIGN_OR_RETURN(const v1::ComplaintView view, StoredView(command.complaint_id));
  // The address is unsealed now, only for the send; an erased one is gone.
  absl::StatusOr<std::optional<v1::PersonalData>> personal = Unseal(command.complaint_id);
  if (!personal.ok() && !absl::IsFailedPrecondition(personal.status())) {
    return personal.status();
  }
  v1::Complainant contact;
  if (personal.ok() && personal->has_value()) contact = (*personal)->complainant();
  const std::optional<std::string> nowhere = Undeliverable(view, contact.email());
  if (MailDone(view, notification_id) || !view.intake().received()) {
    command.result = AttemptResult::kUndeliverable;  // the decider refuses it
  } else if (now > FromProto(notification.recorded_at()) + mail_decider_.policy().give_up_after) {
    command.result = AttemptResult::kExpired;
  } else if (nowhere.has_value()) {
    command.result = AttemptResult::kUndeliverable;
    command.error = *nowhere;
  } else {
    const MailMessage message =
        ComposeMail(notification, options_.mailer->options().from, contact.email(), now);
    command.message_id = message.message_id;
    const absl::Status sent = options_.mailer->Send(contact.email(), message.text);
    command.result = sent.ok()                                       ? AttemptResult::kSent
                     : sent.code() == absl::StatusCode::kUnavailable ? AttemptResult::kTransient
                                                                     : AttemptResult::kPermanent;
    command.error = std::string(sent.message());
  }
  return absl::OkStatus();
}

}  // namespace complaints::intake
