// E-mail to complainants: which notifications, the message, each attempt's record.
#include "services/intake/domain/mail.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
#include "libs/testing/events.h"
#include "libs/testing/given_when_then.h"

namespace complaints::intake {
namespace {

using namespace complaints::testing;
using ::testing::HasSubstr;

const absl::Time kRecorded = absl::FromUnixSeconds(1'795'000'000);

v1::Notification Acknowledgement() {
  v1::Notification notification;
  notification.set_notification_id("C1-i-3/ACKNOWLEDGEMENT");
  notification.set_complaint_id("C1");
  notification.set_kind(v1::NOTIFICATION_KIND_ACKNOWLEDGEMENT);
  notification.set_recipient(v1::RECIPIENT_ROLE_COMPLAINANT);
  notification.set_channel(v1::NOTIFICATION_CHANNEL_EMAIL);
  v1::NotificationText* zh = notification.add_texts();
  zh->set_language("zh");
  zh->set_subject("投诉已受理：C1（楼道漏水，请于三日内处理完毕，谢谢您的耐心）");
  zh->set_body("您的投诉 C1 已登记。\n我们将于 2026-11-29 前处理完毕。");
  v1::NotificationText* en = notification.add_texts();
  en->set_language("en");
  en->set_subject("Complaint received: C1");
  en->set_body("Your complaint C1 has been recorded.");
  *notification.mutable_recorded_at() = ToProto(kRecorded);
  return notification;
}

TEST(Mail, IntakeMailsOnlyTheComplainantsEMail) {
  v1::Notification notification = Acknowledgement();
  EXPECT_TRUE(MailedByIntake(notification));
  notification.set_channel(v1::NOTIFICATION_CHANNEL_SMS);
  EXPECT_FALSE(MailedByIntake(notification));
  notification.set_channel(v1::NOTIFICATION_CHANNEL_EMAIL);
  notification.set_recipient(v1::RECIPIENT_ROLE_SUPERVISOR);
  EXPECT_FALSE(MailedByIntake(notification));
}

TEST(Mail, ARecordReadFromTheTopicIsChecked) {
  EXPECT_TRUE(CheckNotification(Acknowledgement(), "C1").ok());
  EXPECT_THAT(CheckNotification(Acknowledgement(), "C2").message(), HasSubstr("complaint_id"));
  v1::Notification bad = Acknowledgement();
  bad.set_notification_id("x\r\nBcc: someone@example.com");
  EXPECT_THAT(CheckNotification(bad, "C1").message(), HasSubstr("notification_id"));
  bad = Acknowledgement();
  bad.mutable_texts(0)->set_subject("hi\r\nBcc: someone@example.com");
  EXPECT_THAT(CheckNotification(bad, "C1").message(), HasSubstr("texts.subject"));
  bad = Acknowledgement();
  bad.clear_texts();
  EXPECT_THAT(CheckNotification(bad, "C1").message(), HasSubstr("texts"));
  bad = Acknowledgement();
  bad.set_kind(static_cast<v1::NotificationKind>(999));
  EXPECT_THAT(CheckNotification(bad, "C1").message(), HasSubstr("kind"));
  bad = Acknowledgement();
  bad.clear_recorded_at();
  EXPECT_THAT(CheckNotification(bad, "C1").message(), HasSubstr("recorded_at"));
}

// §4.2 a department's backlog summary names no complaint; its key names the department.
TEST(Mail, ABacklogSummaryIsKeyedByItsDepartment) {
  v1::Notification summary = Acknowledgement();
  summary.set_notification_id("backlog/DSNY/1");
  summary.clear_complaint_id();
  summary.set_kind(v1::NOTIFICATION_KIND_BACKLOG_SUMMARY);
  summary.set_recipient(v1::RECIPIENT_ROLE_SUPERVISOR);
  summary.set_channel(v1::NOTIFICATION_CHANNEL_STAFF_APP);
  summary.set_department("DSNY");
  EXPECT_TRUE(CheckNotification(summary, "backlog/DSNY").ok());
  EXPECT_FALSE(MailedByIntake(summary));
  EXPECT_THAT(CheckNotification(summary, "backlog/DOT").message(), HasSubstr("department"));
  summary.set_complaint_id("C1");
  EXPECT_THAT(CheckNotification(summary, "backlog/DSNY").message(), HasSubstr("complaint_id"));
  v1::Notification unkeyed = Acknowledgement();
  unkeyed.clear_complaint_id();
  EXPECT_THAT(CheckNotification(unkeyed, "").message(), HasSubstr("complaint_id"));
}

TEST(Mail, NowhereToSendIsUndeliverable) {
  v1::ComplaintView view = Evolve({}, Received("C1"));
  EXPECT_EQ(Undeliverable(view, "li@example.com"), std::nullopt);
  EXPECT_THAT(Undeliverable(view, "").value_or(""), HasSubstr("no e-mail address"));
  EXPECT_TRUE(Undeliverable(view, "li@example.com>\r\nBcc: x@y.z").has_value());
  EXPECT_TRUE(Undeliverable(view, "a@b.c, d@e.f").has_value());
  view.mutable_intake()->set_erasure_requested(true);
  EXPECT_THAT(Undeliverable(view, "li@example.com").value_or(""), HasSubstr("erased"));
}

// The parts of a message: headers (unfolded) and the decoded body.
struct Parsed {
  std::map<std::string, std::string> headers;
  std::string body;
};
Parsed Parse(const std::string& text) {
  Parsed parsed;
  const size_t end = text.find("\r\n\r\n");
  EXPECT_NE(end, std::string::npos);
  std::string last;
  for (absl::string_view line : absl::StrSplit(text.substr(0, end), "\r\n")) {
    EXPECT_LE(line.size(), 78u) << line;
    if (!line.empty() && line[0] == ' ') {
      parsed.headers[last] += std::string(line.substr(1));
      continue;
    }
    const size_t colon = line.find(": ");
    last = std::string(line.substr(0, colon));
    parsed.headers[last] = std::string(line.substr(colon + 2));
  }
  std::string encoded;
  for (absl::string_view line : absl::StrSplit(text.substr(end + 4), "\r\n")) {
    EXPECT_LE(line.size(), 76u);
    encoded += std::string(line);
  }
  EXPECT_TRUE(absl::Base64Unescape(encoded, &parsed.body));
  return parsed;
}
std::string DecodeWords(const std::string& header) {
  std::string decoded;
  for (absl::string_view word : absl::StrSplit(header, "?==?UTF-8?B?")) {
    absl::ConsumePrefix(&word, "=?UTF-8?B?");
    absl::ConsumeSuffix(&word, "?=");
    std::string part;
    EXPECT_TRUE(absl::Base64Unescape(word, &part)) << word;
    decoded += part;
  }
  return decoded;
}

TEST(Mail, TheMessageCarriesEveryLanguageInUtf8WithAStableMessageId) {
  const MailMessage mail =
      ComposeMail(Acknowledgement(), "centre@example.org", "li@example.com", kRecorded);
  EXPECT_EQ(mail.text.find("\n"), mail.text.find("\r\n") + 1) << "lines end in CRLF";
  for (size_t at = mail.text.find('\n'); at != std::string::npos;
       at = mail.text.find('\n', at + 1)) {
    ASSERT_EQ(mail.text[at - 1], '\r') << "a bare LF at " << at;
  }
  const Parsed parsed = Parse(mail.text);
  EXPECT_EQ(parsed.headers.at("From"), "<centre@example.org>");
  EXPECT_EQ(parsed.headers.at("To"), "<li@example.com>");
  EXPECT_EQ(parsed.headers.at("Date"), "Wed, 18 Nov 2026 11:06:40 +0000");
  EXPECT_EQ(parsed.headers.at("Auto-Submitted"), "auto-generated");
  EXPECT_EQ(parsed.headers.at("Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(
      DecodeWords(parsed.headers.at("Subject")),
      "投诉已受理：C1（楼道漏水，请于三日内处理完毕，谢谢您的耐心） / Complaint received: C1");
  EXPECT_EQ(parsed.body,
            "您的投诉 C1 已登记。\r\n我们将于 2026-11-29 前处理完毕。\r\n\r\n"
            "Your complaint C1 has been recorded.");
  EXPECT_EQ(parsed.headers.at("Message-ID"), mail.message_id);
  EXPECT_EQ(mail.message_id, "<C1-i-3/ACKNOWLEDGEMENT@example.org>");
  EXPECT_EQ(ComposeMail(Acknowledgement(), "centre@example.org", "li@example.com",
                        kRecorded + absl::Hours(1))
                .message_id,
            mail.message_id)
      << "every attempt carries the same Message-ID";
  v1::Notification odd = Acknowledgement();
  odd.set_notification_id("C1 <x>@y");
  EXPECT_EQ(ComposeMail(odd, "centre@example.org", "li@example.com", kRecorded).message_id,
            "<C1=20=3Cx=3E=40y@example.org>");
}

class MailDeciderTest : public ::testing::Test {
 protected:
  RecordDelivery Attempt(int attempt, AttemptResult result, absl::Time now) {
    return {.complaint_id = "C1",
            .notification = Acknowledgement(),
            .attempt = attempt,
            .result = result,
            .now = now,
            .error = result == AttemptResult::kSent ? "" : "421 try later",
            .message_id = "<m@example.org>"};
  }
  v1::Envelope Delivery(v1::DeliveryOutcome outcome, int attempt, const std::string& error,
                        std::optional<absl::Time> next = std::nullopt) {
    v1::Envelope event;
    v1::NotificationDelivery& delivery = *event.mutable_notification_delivery();
    delivery.set_notification_id("C1-i-3/ACKNOWLEDGEMENT");
    delivery.set_kind(v1::NOTIFICATION_KIND_ACKNOWLEDGEMENT);
    delivery.set_channel(v1::NOTIFICATION_CHANNEL_EMAIL);
    delivery.set_outcome(outcome);
    delivery.set_attempt(attempt);
    delivery.set_error(error);
    delivery.set_message_id("<m@example.org>");
    if (next.has_value()) *delivery.mutable_next_attempt_at() = ToProto(*next);
    return event;
  }
  MailDecider decider_{MailPolicy{}};
};

TEST_F(MailDeciderTest, SentIsRecordedOnceAndFinishesTheNotification) {
  Given(decider_, {Received("C1")})
      .When(Attempt(1, AttemptResult::kSent, kRecorded))
      .Then({Delivery(v1::DELIVERY_OUTCOME_SENT, 1, "")});
  auto story = Story(decider_, v1::WRITER_INTAKE, {Received("C1")});
  story.Do(Attempt(1, AttemptResult::kSent, kRecorded));
  Given(decider_, story.history())
      .When(Attempt(2, AttemptResult::kSent, kRecorded))
      .ThenError(absl::StatusCode::kFailedPrecondition, "finished already");
  Given(decider_, {})
      .When(Attempt(1, AttemptResult::kSent, kRecorded))
      .ThenError(absl::StatusCode::kNotFound, "not known to intake");
}

TEST_F(MailDeciderTest, ATransientFailureIsTriedAgainWithDoublingWaits) {
  Given(decider_, {Received("C1")})
      .When(Attempt(1, AttemptResult::kTransient, kRecorded))
      .Then({Delivery(v1::DELIVERY_OUTCOME_RETRYING, 1, "421 try later",
                      kRecorded + absl::Minutes(1))});
  Given(decider_, {Received("C1")})
      .When(Attempt(3, AttemptResult::kTransient, kRecorded))
      .Then({Delivery(v1::DELIVERY_OUTCOME_RETRYING, 3, "421 try later",
                      kRecorded + absl::Minutes(4))});
  Given(decider_, {Received("C1")})
      .When(Attempt(7, AttemptResult::kTransient, kRecorded))
      .Then({Delivery(v1::DELIVERY_OUTCOME_RETRYING, 7, "421 try later",
                      kRecorded + absl::Hours(1))});
  // A retry still marks nothing done.
  auto story = Story(decider_, v1::WRITER_INTAKE, {Received("C1")});
  story.Do(Attempt(1, AttemptResult::kTransient, kRecorded));
  EXPECT_FALSE(MailDone(story.View(), "C1-i-3/ACKNOWLEDGEMENT"));
}

TEST_F(MailDeciderTest, AttemptsOrTimeRunningOutGiveUp) {
  Given(decider_, {Received("C1")})
      .When(Attempt(8, AttemptResult::kTransient, kRecorded))
      .Then(
          {Delivery(v1::DELIVERY_OUTCOME_GAVE_UP, 8, "421 try later (gave up after 8 attempts)")});
  Given(decider_, {Received("C1")})
      .When(Attempt(2, AttemptResult::kTransient, kRecorded + absl::Hours(47) + absl::Minutes(59)))
      .Then(
          {Delivery(v1::DELIVERY_OUTCOME_GAVE_UP, 2, "421 try later (gave up after 2 attempts)")});
  Given(decider_, {Received("C1")})
      .When(Attempt(1, AttemptResult::kPermanent, kRecorded))
      .Then({Delivery(v1::DELIVERY_OUTCOME_GAVE_UP, 1, "421 try later")});
  Given(decider_, {Received("C1")})
      .When(Attempt(1, AttemptResult::kExpired, kRecorded + absl::Hours(49)))
      .Then({Delivery(v1::DELIVERY_OUTCOME_GAVE_UP, 1, "not sent within 48h of being recorded")});
  auto story = Story(decider_, v1::WRITER_INTAKE, {Received("C1")});
  story.Do(Attempt(1, AttemptResult::kUndeliverable, kRecorded));
  EXPECT_TRUE(MailDone(story.View(), "C1-i-3/ACKNOWLEDGEMENT"));
}

}  // namespace
}  // namespace complaints::intake
