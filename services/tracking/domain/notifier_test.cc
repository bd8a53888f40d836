#include "services/tracking/domain/notifier.h"

#include "gtest/gtest.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
#include "libs/testing/events.h"
#include "services/tracking/domain/sla_decider.h"
#include "services/tracking/domain/test_config.h"

namespace complaints::tracking {
namespace {

using namespace complaints::testing;

class NotifierTest : public ::testing::Test {
 protected:
  static Notifier Standard() {
    absl::TimeZone shanghai;
    EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
    auto templates = TestNotificationTemplates();
    EXPECT_TRUE(templates.ok()) << templates.status();
    return *Notifier::Create(*templates, shanghai);
  }

  // Received by e-mail (with the complainant's name, phone and address),
  // classified, assigned to plumber-li of engineering, deadlines set.
  v1::ComplaintView View() {
    v1::Envelope received = Received("C1");
    received.mutable_received()->set_channel(v1::CHANNEL_EMAIL);
    received.mutable_received()->mutable_complainant()->set_name("张伟");
    received.mutable_received()->mutable_complainant()->set_phone("+8613800138000");
    received.mutable_received()->mutable_complainant()->set_email("zhang.wei@example.cn");
    received.mutable_received()->set_content("楼上漏水");
    v1::Envelope assigned = Assigned("C1", "engineering");
    assigned.mutable_assigned()->set_handler("plumber-li");
    v1::ComplaintView view;
    for (const v1::Envelope& event :
         {received, Classified("C1", "plumbing", v1::PRIORITY_P2), assigned, Started()}) {
      view = Evolve(std::move(view), event);
    }
    return view;
  }

  static v1::Envelope Started() {
    v1::Envelope event = Deadlines("C1");
    event.set_event_id("C1/tracking/1");
    event.mutable_deadlines_set()->set_reason(kClockStartedReason);
    *event.mutable_deadlines_set()->mutable_resolve_by() =
        ToProto(absl::FromCivil(absl::CivilMinute(2026, 11, 27, 17, 30), absl::UTCTimeZone()));
    return event;
  }

  Notifier notifier_ = Standard();
};

TEST_F(NotifierTest, TheClockStartingAcknowledgesTheComplaintInBothLanguages) {
  std::vector<v1::Notification> sent = notifier_.For(Started(), View());
  ASSERT_EQ(sent.size(), 1u);
  const v1::Notification& ack = sent[0];
  EXPECT_EQ(ack.kind(), v1::NOTIFICATION_KIND_ACKNOWLEDGEMENT);
  EXPECT_EQ(ack.recipient(), v1::RECIPIENT_ROLE_COMPLAINANT);
  EXPECT_EQ(ack.channel(), v1::NOTIFICATION_CHANNEL_EMAIL) << "it came in by e-mail";
  EXPECT_EQ(ack.notification_id(), "C1/tracking/1/acknowledgement");
  ASSERT_EQ(ack.texts_size(), 2);
  EXPECT_EQ(ack.texts(0).language(), "zh");
  EXPECT_EQ(ack.texts(0).body(),
            "您的投诉（编号 C1）已受理，我们将在 2026-11-28 01:30 前处理完毕。")
      << "resolve-by in the centre's time";
  EXPECT_EQ(ack.texts(1).subject(), "Complaint received: C1");
  const std::string all = ack.DebugString();
  for (const char* personal : {"张伟", "13800138000", "zhang.wei"}) {
    EXPECT_EQ(all.find(personal), std::string::npos) << personal << " in " << all;
  }
}

TEST_F(NotifierTest, TheReceiverIsBriefedWithTheMatterAndItsDeadlines) {
  v1::Envelope notified = EnvelopeOf("C1", v1::WRITER_TRACKING, 2);
  notified.set_event_id("C1/tracking/2");
  notified.mutable_receiver_notified()->set_department("engineering");
  notified.mutable_receiver_notified()->set_handler("plumber-li");
  std::vector<v1::Notification> sent = notifier_.For(notified, View());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind(), v1::NOTIFICATION_KIND_RECEIVER_BRIEFING);
  EXPECT_EQ(sent[0].recipient(), v1::RECIPIENT_ROLE_RECEIVER);
  EXPECT_EQ(sent[0].department(), "engineering");
  EXPECT_EQ(sent[0].handler(), "plumber-li");
  EXPECT_EQ(sent[0].channel(), v1::NOTIFICATION_CHANNEL_STAFF_APP);
  ASSERT_EQ(sent[0].texts_size(), 2);
  EXPECT_EQ(sent[0].texts(1).subject(), "New work C1 (p2, plumbing)");
  EXPECT_NE(sent[0].texts(1).body().find("resolve by 2026-11-28 01:30"), std::string::npos)
      << sent[0].texts(1).body();
  EXPECT_EQ(sent[0].DebugString().find("张伟"), std::string::npos);
}

TEST_F(NotifierTest, DeadlinesAndEscalationsGoToTheSupervisorChain) {
  v1::Envelope warning = EnvelopeOf("C1", v1::WRITER_TRACKING, 2);
  warning.mutable_deadline_warning()->set_target(v1::SLA_TARGET_RESOLVE);
  *warning.mutable_deadline_warning()->mutable_due_at() =
      ToProto(absl::FromCivil(absl::CivilMinute(2026, 11, 27, 9, 0), absl::UTCTimeZone()));
  std::vector<v1::Notification> sent = notifier_.For(warning, View());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].recipient(), v1::RECIPIENT_ROLE_SUPERVISOR);
  EXPECT_EQ(sent[0].department(), "engineering");
  EXPECT_EQ(sent[0].texts(1).body(),
            "The resolve deadline of complaint C1 (engineering) falls due at 2026-11-27 17:00.");

  v1::Envelope escalated = EnvelopeOf("C1", v1::WRITER_TRACKING, 3);
  escalated.mutable_escalated()->set_target(v1::SLA_TARGET_RESOLVE);
  escalated.mutable_escalated()->set_level(2);
  escalated.mutable_escalated()->set_role("department-manager");
  sent = notifier_.For(escalated, View());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind(), v1::NOTIFICATION_KIND_ESCALATION);
  EXPECT_EQ(sent[0].role(), "department-manager");
  EXPECT_EQ(sent[0].texts(1).subject(), "Escalated (level 2): C1");
}

TEST_F(NotifierTest, TheResultAndTheSurveyGoToTheComplainantAndNotesToNobody) {
  v1::Envelope resolved = EnvelopeOf("C1", v1::WRITER_TRACKING, 4);
  resolved.mutable_resolved()->set_solution("replaced the upstairs drain seal");
  std::vector<v1::Notification> sent = notifier_.For(resolved, View());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].texts(1).body(),
            "Your complaint C1 has been resolved: replaced the upstairs drain seal");
  v1::Envelope told = EnvelopeOf("C1", v1::WRITER_TRACKING, 5);
  told.mutable_result_communicated()->set_channel(v1::CHANNEL_PHONE);
  sent = notifier_.For(told, View());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind(), v1::NOTIFICATION_KIND_FOLLOW_UP_SURVEY);
  v1::Envelope note = EnvelopeOf("C1", v1::WRITER_TRACKING, 6);
  note.mutable_note_added()->set_text("called the owner");
  EXPECT_TRUE(notifier_.For(note, View()).empty());
  v1::Envelope recomputed = Started();
  recomputed.mutable_deadlines_set()->set_reason("clock resumed");
  EXPECT_TRUE(notifier_.For(recomputed, View()).empty()) << "acknowledged once, at the start";
}

TEST(Notifier, TemplatesMissingALanguageAreRefusedNamingTheKind) {
  v1::NotificationTemplates templates;
  templates.set_id("notifications");
  v1::NotificationTemplate& only = *templates.add_templates();
  only.set_kind(v1::NOTIFICATION_KIND_ACKNOWLEDGEMENT);
  only.set_language("zh");
  only.set_body("已受理");
  absl::StatusOr<Notifier> made = Notifier::Create(templates, absl::UTCTimeZone());
  EXPECT_EQ(made.status().message(),
            "templates: no zh text for NOTIFICATION_KIND_RECEIVER_BRIEFING");
}

}  // namespace
}  // namespace complaints::tracking
