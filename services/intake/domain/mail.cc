#include "services/intake/domain/mail.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "services/intake/domain/contact.h"

namespace complaints::intake {
namespace {

constexpr size_t kMaxIdBytes = 200;
constexpr size_t kMaxComplaintIdBytes = 64;
constexpr int kMaxTexts = 8;
constexpr size_t kMaxSubjectBytes = 1000;
constexpr size_t kMaxBodyBytes = 16 * 1024;
// RFC 2047: an encoded word is at most 75 characters; 45 bytes of UTF-8 make
// 60 of base64, with "=?UTF-8?B?" and "?=" 72.
constexpr size_t kWordBytes = 45;
constexpr size_t kFirstWordBytes = 36;
constexpr size_t kBase64LineChars = 76;

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

bool SingleLine(absl::string_view text) {
  return std::none_of(text.begin(), text.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// A subject as encoded words folded onto continuation lines, each cut at a
// UTF-8 character boundary; the first shares its line with "Subject: ".
std::string EncodedWords(absl::string_view text) {
  std::vector<std::string> words;
  while (!text.empty()) {
    size_t cut = std::min(words.empty() ? kFirstWordBytes : kWordBytes, text.size());
    while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    words.push_back(absl::StrCat("=?UTF-8?B?", absl::Base64Escape(text.substr(0, cut)), "?="));
    text.remove_prefix(cut);
  }
  return absl::StrJoin(words, "\r\n ");
}

std::string WrappedBase64(absl::string_view bytes) {
  const std::string encoded = absl::Base64Escape(bytes);
  std::string lines;
  for (size_t at = 0; at < encoded.size(); at += kBase64LineChars) {
    absl::StrAppend(&lines, absl::string_view(encoded).substr(at, kBase64LineChars), "\r\n");
  }
  return lines;
}

// RFC 5322 atext and '.': what a Message-ID's left part may hold. Anything
// else in the notification id is written as '=' and two hex digits.
std::string MessageIdPart(absl::string_view id) {
  static constexpr absl::string_view kAllowed = "!#$%&'*+-/?^_`{|}~.";
  std::string part;
  for (const char c : id) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
        (c != '=' && kAllowed.find(c) != absl::string_view::npos)) {
      part.push_back(c);
    } else {
      absl::StrAppendFormat(&part, "=%02X", static_cast<unsigned char>(c));
    }
  }
  return part;
}

// What a body line ending becomes: every line ends in CRLF on the wire.
std::string CrlfLines(absl::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\r') continue;
    if (c == '\n')
      out += "\r\n";
    else
      out.push_back(c);
  }
  return out;
}

}  // namespace

bool MailedByIntake(const v1::Notification& notification) {
  return notification.recipient() == v1::RECIPIENT_ROLE_COMPLAINANT &&
         notification.channel() == v1::NOTIFICATION_CHANNEL_EMAIL;
}

absl::Status CheckNotification(const v1::Notification& notification, absl::string_view record_key) {
  const std::string& id = notification.notification_id();
  if (id.empty() || id.size() > kMaxIdBytes || !SingleLine(id) || !IsValidUtf8(id)) {
    return Invalid("notification_id", absl::StrCat("1 to ", kMaxIdBytes, " bytes on one line"));
  }
  const std::string& complaint = notification.complaint_id();
  if (notification.kind() == v1::NOTIFICATION_KIND_BACKLOG_SUMMARY) {
    // §4.2 a department's summary names no complaint.
    if (!complaint.empty()) return Invalid("complaint_id", "none for a backlog summary");
    if (notification.department().empty() ||
        record_key != absl::StrCat("backlog/", notification.department())) {
      return Invalid("department", "required, and the record's key is backlog/<department>");
    }
  } else if (complaint.empty() || complaint.size() > kMaxComplaintIdBytes ||
             complaint != record_key) {
    return Invalid("complaint_id", "must be the record's key");
  }
  if (!v1::NotificationKind_IsValid(notification.kind()) ||
      notification.kind() == v1::NOTIFICATION_KIND_UNSPECIFIED) {
    return Invalid("kind", "unknown");
  }
  if (!v1::RecipientRole_IsValid(notification.recipient()) ||
      !v1::NotificationChannel_IsValid(notification.channel())) {
    return Invalid("recipient", "unknown role or channel");
  }
  if (notification.texts().empty() || notification.texts_size() > kMaxTexts) {
    return Invalid("texts", absl::StrCat("1 to ", kMaxTexts, " languages"));
  }
  for (const v1::NotificationText& text : notification.texts()) {
    if (text.language().empty() || text.language().size() > 16 || !SingleLine(text.language())) {
      return Invalid("texts.language", "1 to 16 characters");
    }
    if (text.subject().size() > kMaxSubjectBytes || !SingleLine(text.subject()) ||
        !IsValidUtf8(text.subject())) {
      return Invalid("texts.subject",
                     absl::StrCat("UTF-8 on one line, at most ", kMaxSubjectBytes, " bytes"));
    }
    if (text.body().size() > kMaxBodyBytes || !IsValidUtf8(text.body())) {
      return Invalid("texts.body", absl::StrCat("UTF-8, at most ", kMaxBodyBytes, " bytes"));
    }
  }
  if (!notification.has_recorded_at() || notification.recorded_at().seconds() <= 0 ||
      notification.recorded_at().seconds() > kMaxTimestampSeconds) {
    return Invalid("recorded_at", "required, a time after 1970");
  }
  return absl::OkStatus();
}

bool MailDone(const v1::ComplaintView& view, absl::string_view notification_id) {
  const auto& done = view.intake().notifications_done();
  return std::find(done.begin(), done.end(), notification_id) != done.end();
}

std::optional<std::string> Undeliverable(const v1::ComplaintView& view, absl::string_view email) {
  if (view.intake().erasure_requested()) {
    return "the complainant asked for their personal data to be erased";
  }
  if (email.empty()) return "no e-mail address on record";
  if (!IsPlausibleEmail(email) || !SingleLine(email) ||
      email.find_first_of("<>,;\"\\()[]") != absl::string_view::npos) {
    return "the e-mail address on record is not one a message can be sent to";
  }
  return std::nullopt;
}

MailMessage ComposeMail(const v1::Notification& notification, absl::string_view from,
                        absl::string_view to, absl::Time date) {
  std::vector<std::string> subjects;
  std::vector<std::string> bodies;
  for (const v1::NotificationText& text : notification.texts()) {
    subjects.push_back(text.subject());
    bodies.push_back(CrlfLines(text.body()));
  }
  const size_t at = from.find('@');
  const absl::string_view domain =
      at == absl::string_view::npos ? absl::string_view("localhost") : from.substr(at + 1);
  MailMessage mail;
  mail.message_id =
      absl::StrCat("<", MessageIdPart(notification.notification_id()), "@", domain, ">");
  absl::StrAppend(
      &mail.text, "From: <", from, ">\r\n", "To: <", to, ">\r\n",
      "Subject: ", EncodedWords(absl::StrJoin(subjects, " / ")), "\r\n",
      "Date: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", date, absl::UTCTimeZone()), "\r\n",
      "Message-ID: ", mail.message_id, "\r\n", "Auto-Submitted: auto-generated\r\n",
      "MIME-Version: 1.0\r\n", "Content-Type: text/plain; charset=UTF-8\r\n",
      "Content-Transfer-Encoding: base64\r\n", "\r\n",
      WrappedBase64(absl::StrJoin(bodies, "\r\n\r\n")));
  return mail;
}

absl::StatusOr<std::vector<v1::Envelope>> MailDecider::Decide(const RecordDelivery& command,
                                                              const v1::ComplaintView& view) const {
  if (!view.intake().received()) {
    return absl::NotFoundError(
        absl::StrCat("complaint ", EscapedPrefix(command.complaint_id), " is not known to intake"));
  }
  const v1::Notification& notification = command.notification;
  if (MailDone(view, notification.notification_id())) {
    return absl::FailedPreconditionError(
        absl::StrCat("notification ", EscapedPrefix(notification.notification_id(), 80),
                     " is finished already"));
  }
  v1::Envelope event;
  v1::NotificationDelivery& delivery = *event.mutable_notification_delivery();
  delivery.set_notification_id(notification.notification_id());
  delivery.set_kind(notification.kind());
  delivery.set_channel(notification.channel());
  delivery.set_attempt(command.attempt);
  delivery.set_message_id(command.message_id);
  delivery.set_error(command.error);
  switch (command.result) {
    case AttemptResult::kSent:
      delivery.set_outcome(v1::DELIVERY_OUTCOME_SENT);
      break;
    case AttemptResult::kUndeliverable:
      delivery.set_outcome(v1::DELIVERY_OUTCOME_UNDELIVERABLE);
      break;
    case AttemptResult::kPermanent:
      delivery.set_outcome(v1::DELIVERY_OUTCOME_GAVE_UP);
      break;
    case AttemptResult::kExpired:
      delivery.set_outcome(v1::DELIVERY_OUTCOME_GAVE_UP);
      delivery.set_error(absl::StrCat(
          "not sent within ", absl::FormatDuration(policy_.give_up_after), " of being recorded"));
      break;
    case AttemptResult::kTransient: {
      const absl::Duration wait =
          std::min(policy_.max_retry,
                   policy_.first_retry * (int64_t{1} << std::min(command.attempt - 1, 20)));
      const absl::Time give_up_at = FromProto(notification.recorded_at()) + policy_.give_up_after;
      if (command.attempt >= policy_.max_attempts || command.now + wait > give_up_at) {
        delivery.set_outcome(v1::DELIVERY_OUTCOME_GAVE_UP);
        delivery.set_error(absl::StrCat(command.error, " (gave up after ", command.attempt,
                                        command.attempt == 1 ? " attempt)" : " attempts)"));
      } else {
        delivery.set_outcome(v1::DELIVERY_OUTCOME_RETRYING);
        *delivery.mutable_next_attempt_at() = ToProto(command.now + wait);
      }
      break;
    }
  }
  return std::vector<v1::Envelope>{std::move(event)};
}

}  // namespace complaints::intake
