// §3.4/§5.2 the complainants' e-mail: notifications read from the topic,
// mailed to a real local SMTP server (aiosmtpd), each attempt recorded.
#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/records.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/testing/eventually.h"
#include "libs/testing/smtp_server.h"
#include "services/intake/app/intake_families.h"
#include "services/intake/app/test_intake.h"

namespace complaints::intake {
namespace {

using namespace complaints::testing;
using ::testing::HasSubstr;

// The text of a Subject made of RFC 2047 base64 words.
std::string DecodedSubject(const std::string& header) {
  std::string decoded;
  const std::string kOpen = "=?UTF-8?B?";
  for (size_t at = header.find(kOpen); at != std::string::npos; at = header.find(kOpen, at)) {
    at += kOpen.size();
    const size_t close = header.find("?=", at);
    if (close == std::string::npos) break;
    std::string part;
    if (absl::Base64Unescape(header.substr(at, close - at), &part)) decoded += part;
    at = close;
  }
  return decoded;
}

class MailTest : public IntakeAppTest {
 protected:
  void SetUp() override {
    smtp_ = SmtpServer::Start(smtp_dir_.path());
    ASSERT_NE(smtp_, nullptr) << "aiosmtpd did not start; see " << smtp_dir_.Sub("smtp.log");
    client_ = *SmtpClient::Create(
        {.url = smtp_->url(), .from = "centre@example.org", .timeout = absl::Seconds(5)});
    mailer_ = client_.get();
    IntakeAppTest::SetUp();
  }

  // A complaint from a complainant reached at `email` (none when empty).
  std::string SubmitFrom(const std::string& key, const std::string& email) {
    v1::SubmitComplaintRequest request = Request(key);
    request.set_channel(v1::CHANNEL_EMAIL);
    request.mutable_complainant()->set_email(email);
    v1::SubmitComplaintResponse response;
    EXPECT_TRUE(Submit(request, &response).ok());
    return response.complaint_id();
  }

  // What tracking publishes: the acknowledgement for the complainant.
  v1::Notification Acknowledgement(const std::string& complaint_id) {
    v1::Notification notification;
    notification.set_notification_id(complaint_id + "-t-1/ACKNOWLEDGEMENT");
    notification.set_complaint_id(complaint_id);
    notification.set_kind(v1::NOTIFICATION_KIND_ACKNOWLEDGEMENT);
    notification.set_recipient(v1::RECIPIENT_ROLE_COMPLAINANT);
    notification.set_channel(v1::NOTIFICATION_CHANNEL_EMAIL);
    v1::NotificationText* zh = notification.add_texts();
    zh->set_language("zh");
    zh->set_subject("投诉已受理：" + complaint_id);
    zh->set_body("您的投诉 " + complaint_id + " 已登记。");
    v1::NotificationText* en = notification.add_texts();
    en->set_language("en");
    en->set_subject("Complaint received: " + complaint_id);
    en->set_body("Your complaint " + complaint_id + " has been recorded.");
    *notification.mutable_recorded_at() = ToProto(clock_.Now());
    return notification;
  }

  // As tracking publishes it: signed.
  ConsumedRecord RecordOf(const v1::Notification& notification, const std::string& key = "") {
    const std::string& keyed = key.empty() ? notification.complaint_id() : key;
    return {std::string(topics::kNotifications), 0, next_offset_++, keyed,
            complaints::testing::SignedFor(topics::kNotifications, keyed,
                                           notification.SerializeAsString())};
  }

  // The attempts intake recorded, in order.
  std::vector<v1::NotificationDelivery> Deliveries() {
    std::vector<v1::NotificationDelivery> deliveries;
    for (const v1::Envelope& event : Outboxed(*store_)) {
      if (event.has_notification_delivery()) deliveries.push_back(event.notification_delivery());
    }
    return deliveries;
  }

  std::vector<std::string> MessagesAfter(size_t count) {
    std::vector<std::string> messages;
    Eventually(
        [&] {
          messages = smtp_->Messages();
          return messages.size() >= count;
        },
        absl::Seconds(10));
    return messages;
  }

  TempDir smtp_dir_;
  std::unique_ptr<SmtpServer> smtp_;
  std::unique_ptr<SmtpClient> client_;
  int64_t next_offset_ = 0;
};

TEST_F(MailTest, TheComplainantIsMailedOnceAtTheAddressOnRecord) {
  const std::string id = SubmitFrom("k1", "li.na@example.com");
  const v1::Notification ack = Acknowledgement(id);
  v1::Notification sms = ack;
  sms.set_notification_id(id + "-t-2/STATUS_REPORT");
  sms.set_channel(v1::NOTIFICATION_CHANNEL_SMS);
  v1::Notification staff = ack;
  staff.set_notification_id(id + "-t-3/DEADLINE_WARNING");
  staff.set_recipient(v1::RECIPIENT_ROLE_SUPERVISOR);
  // Tracking's relay may publish a record twice.
  ASSERT_TRUE(app_->QueueMail({RecordOf(ack), RecordOf(sms), RecordOf(staff), RecordOf(ack)}).ok());
  ASSERT_EQ(*app_->SendDueMail(), 1u) << "only the complainant's e-mail";

  const std::vector<std::string> messages = MessagesAfter(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(HeaderOf(messages[0], "X-RcptTo"), "li.na@example.com");
  EXPECT_EQ(HeaderOf(messages[0], "X-MailFrom"), "centre@example.org");
  EXPECT_EQ(DecodedSubject(HeaderOf(messages[0], "Subject")),
            "投诉已受理：" + id + " / Complaint received: " + id);
  EXPECT_EQ(DecodedBody(messages[0]),
            "您的投诉 " + id + " 已登记。\r\n\r\nYour complaint " + id + " has been recorded.");
  const std::vector<v1::NotificationDelivery> deliveries = Deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].outcome(), v1::DELIVERY_OUTCOME_SENT);
  EXPECT_EQ(deliveries[0].attempt(), 1);
  EXPECT_EQ(deliveries[0].notification_id(), ack.notification_id());
  EXPECT_EQ(HeaderOf(messages[0], "Message-ID"), deliveries[0].message_id());
  EXPECT_EQ(deliveries[0].SerializeAsString().find("li.na"), std::string::npos)
      << "the event names no address";

  // Read again (a redelivery, or a rebuild of the notifications' offsets).
  ASSERT_TRUE(app_->QueueMail({RecordOf(ack)}).ok());
  EXPECT_EQ(*app_->SendDueMail(), 0u);
  EXPECT_EQ(Deliveries().size(), 1u);
  EXPECT_EQ(*store_->Get(Family::kOffsets, OffsetKey(topics::kNotifications, 0)), "5");
}

TEST_F(MailTest, AServerThatIsDownIsTriedAgainLaterWithTheSameMessageId) {
  const std::string id = SubmitFrom("k1", "li.na@example.com");
  const int port = smtp_->port();
  smtp_->Stop();
  ASSERT_TRUE(app_->QueueMail({RecordOf(Acknowledgement(id))}).ok());
  ASSERT_EQ(*app_->SendDueMail(), 1u);
  std::vector<v1::NotificationDelivery> deliveries = Deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].outcome(), v1::DELIVERY_OUTCOME_RETRYING);
  EXPECT_THAT(deliveries[0].error(), HasSubstr("mail server"));
  EXPECT_EQ(FromProto(deliveries[0].next_attempt_at()), clock_.Now() + absl::Minutes(1));
  EXPECT_EQ(*app_->SendDueMail(), 0u) << "not before its next attempt";

  smtp_ = SmtpServer::Start(smtp_dir_.path(), port);
  ASSERT_NE(smtp_, nullptr);
  clock_.Advance(absl::Minutes(1));
  ASSERT_EQ(*app_->SendDueMail(), 1u);
  deliveries = Deliveries();
  ASSERT_EQ(deliveries.size(), 2u);
  EXPECT_EQ(deliveries[1].outcome(), v1::DELIVERY_OUTCOME_SENT);
  EXPECT_EQ(deliveries[1].attempt(), 2);
  EXPECT_EQ(deliveries[1].message_id(), deliveries[0].message_id());
  EXPECT_EQ(MessagesAfter(1).size(), 1u);
  EXPECT_EQ(*app_->SendDueMail(), 0u);
}

TEST_F(MailTest, NowhereToSendOrTooLateIsRecordedAndNothingIsSent) {
  const std::string no_address = SubmitFrom("k1", "");
  const std::string erased = SubmitFrom("k2", "wang@example.com");
  v1::RequestErasureRequest erasure;
  erasure.set_idempotency_key("erase-1");
  erasure.set_complaint_id(erased);
  erasure.set_reason("the complainant asked by phone");
  ASSERT_TRUE(app_->RequestErasure(erasure, v1::Actor()).ok());
  const std::string late = SubmitFrom("k3", "zhao@example.com");
  v1::Notification stale = Acknowledgement(late);
  *stale.mutable_recorded_at() = ToProto(clock_.Now() - absl::Hours(72));
  ASSERT_TRUE(app_->QueueMail({RecordOf(Acknowledgement(no_address)),
                               RecordOf(Acknowledgement(erased)), RecordOf(stale)})
                  .ok());
  ASSERT_EQ(*app_->SendDueMail(), 3u);
  std::map<std::string, v1::NotificationDelivery> by_id;
  for (const v1::NotificationDelivery& delivery : Deliveries()) {
    by_id[delivery.notification_id()] = delivery;
  }
  ASSERT_EQ(by_id.size(), 3u);
  const v1::NotificationDelivery& none = by_id[Acknowledgement(no_address).notification_id()];
  EXPECT_EQ(none.outcome(), v1::DELIVERY_OUTCOME_UNDELIVERABLE);
  EXPECT_THAT(none.error(), HasSubstr("no e-mail address"));
  EXPECT_THAT(by_id[Acknowledgement(erased).notification_id()].error(), HasSubstr("erased"));
  EXPECT_EQ(by_id[stale.notification_id()].outcome(), v1::DELIVERY_OUTCOME_GAVE_UP);
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_TRUE(smtp_->Messages().empty());
  EXPECT_EQ(*app_->SendDueMail(), 0u);
}

TEST_F(MailTest, ABrokenOrForgedRecordIsADeadLetterAndStopsNothing) {
  const std::string id = SubmitFrom("k1", "li.na@example.com");
  v1::Notification other_key = Acknowledgement(id);
  ConsumedRecord misfiled = RecordOf(other_key, "C-someone-else");
  // Well-formed, but not tracking's: someone with Kafka access wrote it.
  ConsumedRecord unsigned_record = RecordOf(Acknowledgement(id));
  unsigned_record.payload = Acknowledgement(id).SerializeAsString();
  v1::Notification injected = Acknowledgement(id);
  injected.mutable_texts(0)->set_subject("hi\r\nBcc: everyone@example.com");
  ASSERT_TRUE(app_->QueueMail({{std::string(topics::kNotifications), 0, next_offset_++, id,
                                "\xff not a notification"},
                               misfiled,
                               unsigned_record,
                               RecordOf(injected),
                               RecordOf(Acknowledgement(id))})
                  .ok());
  EXPECT_EQ(letters_->by_kind(),
            (std::map<std::string, uint64_t>{{"DEAD_LETTER_KIND_UNDECODABLE", 1},
                                             {"DEAD_LETTER_KIND_FAILED_CHECK", 2},
                                             {"DEAD_LETTER_KIND_FORGED", 1}}));
  ASSERT_EQ(*app_->SendDueMail(), 1u) << "the good record after them is sent";
  EXPECT_EQ(MessagesAfter(1).size(), 1u);
}

TEST_F(MailTest, AStoreRebuiltFromTheTopicsMailsNothingTwice) {
  const std::string sent = SubmitFrom("k1", "li.na@example.com");
  const std::string waiting = SubmitFrom("k2", "wang@example.com");
  ASSERT_TRUE(app_->QueueMail({RecordOf(Acknowledgement(sent))}).ok());
  ASSERT_EQ(*app_->SendDueMail(), 1u);
  ASSERT_EQ(MessagesAfter(1).size(), 1u);

  // A new store reads intake's topic back, then the notifications topic from
  // its start: the one sent stays sent, the one never sent goes out now.
  TempDir rebuilt_dir;
  auto store = *Store::Open(rebuilt_dir.Sub("db"), Store::kDefaultPartitions, intake::kFamilies);
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
  auto letters = *DeadLetters::Open(store.get());
  DataKeys keys(store.get(), TestKeyRing(), &clock_);
  ASSERT_TRUE(keys.Apply(ConsumedOfTopic(topics::kKeys), nullptr,
                         *complaints::testing::TestAuthority(v1::WRITER_INTAKE))
                  .ok());
  IntakeApp rebuilt({.parts = {store.get(), outbox.get(), letters.get(), &clock_},
                     .ids = &ids_,
                     .classifier = &classifier_,
                     .verification = &verification_,
                     .keys = &keys,
                     .mailer = client_.get()});
  rebuilt.SetAccepting(false);
  std::vector<ConsumedRecord> records;
  for (const v1::Envelope& event : Outboxed(*store_)) {
    records.push_back(ConsumedOf(topics::kIntake, event, static_cast<int64_t>(records.size())));
  }
  next_offset_ = 0;
  ASSERT_TRUE(
      rebuilt.QueueMail({RecordOf(Acknowledgement(sent)), RecordOf(Acknowledgement(waiting))})
          .ok());
  EXPECT_EQ(*rebuilt.SendDueMail(), 0u) << "nothing is sent before the read-back";
  ASSERT_TRUE(rebuilt.applier().Apply(records).ok());
  rebuilt.SetAccepting(true);
  EXPECT_EQ(*rebuilt.SendDueMail(), 2u);
  const std::vector<std::string> messages = MessagesAfter(2);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(HeaderOf(messages[1], "X-RcptTo"), "wang@example.com")
      << "the address came back with the Received event";
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(smtp_->Messages().size(), 2u) << "the one sent before was not sent again";
}

}  // namespace
}  // namespace complaints::intake
