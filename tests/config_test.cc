// The configuration shipped in config/ loads and passes each service's checks.
#include "libs/core/config.h"

#include "gtest/gtest.h"
#include "libs/testing/temp_dir.h"
#include "services/dispatch/domain/router.h"
#include "services/intake/domain/classifier.h"
#include "services/intake/domain/verification.h"
#include "services/tracking/domain/business_calendar.h"
#include "services/tracking/domain/handling_decider.h"
#include "services/tracking/domain/notifier.h"
#include "services/tracking/domain/sla_policy.h"

namespace complaints {
namespace {

std::string ConfigFile(const std::string& name) { return testing::SourceDir() + "/config/" + name; }

TEST(ShippedConfig, ClassificationLoadsAndClassifiesChineseAndEnglish) {
  auto rules = LoadTextProto<v1::ClassificationRules>(ConfigFile("classification.textproto"));
  ASSERT_TRUE(rules.ok()) << rules.status();
  auto classifier = intake::Classifier::Create(*rules);
  ASSERT_TRUE(classifier.ok()) << classifier.status();
  auto classify = [&](const std::string& content, const std::string& unit) {
    v1::SubmitComplaintRequest request;
    request.set_content(content);
    request.mutable_location()->set_community("阳光花园");
    request.mutable_location()->set_building("5");
    request.mutable_location()->set_unit(unit);
    return classifier->Classify(request);
  };
  EXPECT_EQ(classify("5号楼电梯困人", "").priority(), v1::PRIORITY_P1);
  EXPECT_EQ(classify("Strong smell of gas in stairwell", "").category(), "safety");
  EXPECT_EQ(classify("卫生间漏水", "1202").category(), "plumbing");
  EXPECT_EQ(classify("卫生间漏水", "1202").priority(), v1::PRIORITY_P2);
  EXPECT_EQ(classify("Water leak from ceiling", "803").category(), "plumbing");
  EXPECT_EQ(classify("楼上装修噪音", "602").priority(), v1::PRIORITY_P3);
  EXPECT_EQ(classify("整栋楼停电", "").priority(), v1::PRIORITY_P2);
  EXPECT_EQ(classify("消防通道被堵 and fire exit blocked by cars", "").impact_scope(),
            v1::IMPACT_SCOPE_PUBLIC_SAFETY);
  EXPECT_EQ(classify("物业费发票", "101").category(), "fees");
  EXPECT_EQ(classify("物业费发票", "101").priority(), v1::PRIORITY_P4);
}

TEST(ShippedConfig, EveryClassifiedCategoryHasADepartment) {
  auto rules = *LoadTextProto<v1::ClassificationRules>(ConfigFile("classification.textproto"));
  auto routing = LoadTextProto<v1::RoutingRules>(ConfigFile("routing.textproto"));
  ASSERT_TRUE(routing.ok()) << routing.status();
  auto router = dispatch::Router::Create(*routing);
  ASSERT_TRUE(router.ok()) << router.status();
  for (const v1::ClassificationRule& rule : rules.rules()) {
    if (rule.urgency_only()) continue;  // names no category
    for (v1::Priority priority :
         {v1::PRIORITY_P1, v1::PRIORITY_P2, v1::PRIORITY_P3, v1::PRIORITY_P4}) {
      EXPECT_NE(router->Route({rule.category(), priority, "", {}}).rule().id(), "fallback")
          << "category " << rule.category() << " has no routing rule";
    }
  }
  EXPECT_EQ(router->Route({"safety", v1::PRIORITY_P1, "", {}}).department(), "security");
}

TEST(ShippedConfig, VerificationPolicyLoads) {
  auto policy = LoadTextProto<v1::VerificationPolicy>(ConfigFile("verification.textproto"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(intake::VerificationDecider::Create(*policy).ok());
}

TEST(ShippedConfig, HandlingPolicyLoads) {
  auto policy = LoadTextProto<v1::HandlingPolicy>(ConfigFile("handling.textproto"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  auto book =
      tracking::SlaBook::Create(*LoadTextProto<v1::SlaPolicies>(ConfigFile("sla.textproto")));
  auto calendar = tracking::BusinessCalendar::Create(
      *LoadTextProto<v1::BusinessCalendar>(ConfigFile("calendar.textproto")), "Asia/Shanghai");
  ASSERT_TRUE(book.ok() && calendar.ok());
  EXPECT_TRUE(tracking::HandlingDecider::Create(*policy, &*book, &*calendar).ok());
}

TEST(ShippedConfig, NotificationTemplatesLoad) {
  auto templates = LoadTextProto<v1::NotificationTemplates>(ConfigFile("notifications.textproto"));
  ASSERT_TRUE(templates.ok()) << templates.status();
  absl::TimeZone zone;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &zone));
  EXPECT_TRUE(tracking::Notifier::Create(*templates, zone).ok());
}

TEST(ShippedConfig, SlaPoliciesAndCalendarLoad) {
  auto policies = LoadTextProto<v1::SlaPolicies>(ConfigFile("sla.textproto"));
  ASSERT_TRUE(policies.ok()) << policies.status();
  EXPECT_TRUE(tracking::SlaBook::Create(*policies).ok());
  auto calendar = LoadTextProto<v1::BusinessCalendar>(ConfigFile("calendar.textproto"));
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_TRUE(tracking::BusinessCalendar::Create(*calendar, "Asia/Shanghai").ok());
}

}  // namespace
}  // namespace complaints
