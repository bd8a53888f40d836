// The configuration shipped in config/ loads and passes each service's checks.
#include "gtest/gtest.h"
#include "libs/core/config.h"
#include "libs/testing/temp_dir.h"
#include "services/dispatch/domain/router.h"
#include "services/intake/domain/classifier.h"
#include "services/tracking/domain/business_calendar.h"
#include "services/tracking/domain/sla_policy.h"

namespace complaints {
namespace {

std::string ConfigFile(const std::string& name) { return testing::SourceDir() + "/config/" + name; }

TEST(ShippedConfig, ClassificationLoadsAndClassifiesChineseAndEnglish) {
  auto rules = LoadTextProto<v1::ClassificationRules>(ConfigFile("classification.textproto"));
  ASSERT_TRUE(rules.ok()) << rules.status();
  auto classifier = intake::Classifier::Create(*rules);
  ASSERT_TRUE(classifier.ok()) << classifier.status();
  EXPECT_EQ(classifier->Classify("5号楼电梯困人", "").priority(), v1::PRIORITY_P1);
  EXPECT_EQ(classifier->Classify("Strong smell of gas in stairwell", "").category(), "safety");
  EXPECT_EQ(classifier->Classify("卫生间漏水", "").category(), "plumbing");
  EXPECT_EQ(classifier->Classify("Water leak from ceiling", "").category(), "plumbing");
  EXPECT_EQ(classifier->Classify("楼上装修噪音", "").category(), "noise");
  EXPECT_EQ(classifier->Classify("物业费发票", "").category(), "fees");
}

TEST(ShippedConfig, EveryClassifiedCategoryHasADepartment) {
  auto rules = *LoadTextProto<v1::ClassificationRules>(ConfigFile("classification.textproto"));
  auto routing = LoadTextProto<v1::RoutingRules>(ConfigFile("routing.textproto"));
  ASSERT_TRUE(routing.ok()) << routing.status();
  auto router = dispatch::Router::Create(*routing);
  ASSERT_TRUE(router.ok()) << router.status();
  for (const v1::ClassificationRule& rule : rules.rules()) {
    EXPECT_NE(router->Route(rule.category(), rule.priority()).rule().id(), "fallback")
        << "category " << rule.category() << " has no routing rule";
  }
  EXPECT_EQ(router->Route("safety", v1::PRIORITY_P1).department(), "security");
}

TEST(ShippedConfig, SlaPoliciesAndCalendarLoad) {
  auto policies = LoadTextProto<v1::SlaPolicies>(ConfigFile("sla.textproto"));
  ASSERT_TRUE(policies.ok()) << policies.status();
  EXPECT_TRUE(tracking::SlaBook::Create(*policies).ok());
  auto calendar = LoadTextProto<v1::BusinessCalendar>(ConfigFile("calendar.textproto"));
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_TRUE(tracking::BusinessCalendar::Create(*calendar).ok());
}

}  // namespace
}  // namespace complaints
