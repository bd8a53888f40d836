#pragma once
// §3.4/§5.2 e-mail to complainants. Tracking publishes notifications that
// name the complaint, the recipient's role and the channel; intake, which
// holds the contact details, mails those meant for the complainant by e-mail.
// This is the pure part: which notifications intake mails, the message it
// sends (RFC 5322, UTF-8), and what each attempt records — sent, tried again
// later (exponential back-off), given up, or undeliverable. Pure.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints::intake {

struct MailPolicy {
  int max_attempts = 8;
  absl::Duration first_retry = absl::Minutes(1);  // doubled after each failure…
  absl::Duration max_retry = absl::Hours(1);      // …up to this
  // A notification not sent this long after tracking recorded it is given
  // up (an acknowledgement a week late misleads more than it helps).
  absl::Duration give_up_after = absl::Hours(48);
};

// True for the notifications intake sends: to the complainant, by e-mail.
bool MailedByIntake(const v1::Notification& notification);

// Checks a notification read from complaints.notifications.v1 under
// `record_key`: INVALID_ARGUMENT naming the field.
absl::Status CheckNotification(const v1::Notification& notification, absl::string_view record_key);

// True once the view records a finished delivery of the notification.
bool MailDone(const v1::ComplaintView& view, absl::string_view notification_id);

// Why the complainant cannot be mailed (no address on record, erasure
// requested), or nullopt. `email` is the address intake holds.
std::optional<std::string> Undeliverable(const v1::ComplaintView& view, absl::string_view email);

struct MailMessage {
  std::string message_id;  // "<…@domain>", the same on every attempt
  std::string text;        // headers and body, CRLF line ends
};

// The message: From, To, Subject (each language's subject, as RFC 2047
// UTF-8 words), Date, a Message-ID made from the notification id,
// Auto-Submitted; the body holds each language's text, base64-encoded.
// REQUIRES: `from` and `to` are plain addresses (local@domain).
MailMessage ComposeMail(const v1::Notification& notification, absl::string_view from,
                        absl::string_view to, absl::Time date);

// How one attempt ended, as the sender saw it.
enum class AttemptResult {
  kSent,
  kTransient,      // the server or network failed for now (4xx, no connection)
  kPermanent,      // the server refused the message for good (5xx)
  kUndeliverable,  // not tried: nowhere to send it
  kExpired,        // not tried: older than give_up_after
};

struct RecordDelivery {
  std::string complaint_id;
  v1::Notification notification;
  int attempt = 1;  // this attempt, counting from 1
  AttemptResult result = AttemptResult::kSent;
  absl::Time now;
  std::string error = {};  // the server's or the check's words; empty when sent
  std::string message_id = {};
};

class MailDecider {
 public:
  explicit MailDecider(MailPolicy policy) : policy_(policy) {}

  // One NotificationDelivery event. NOT_FOUND for a complaint intake does not
  // know; FAILED_PRECONDITION when the notification is finished already.
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const RecordDelivery& command,
                                                   const v1::ComplaintView& view) const;

  const MailPolicy& policy() const { return policy_; }

 private:
  MailPolicy policy_;
};

}  // namespace complaints::intake
