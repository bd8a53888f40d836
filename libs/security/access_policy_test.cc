#include "libs/security/access_policy.h"

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/core/config.h"
#include "libs/security/rules.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

using ::testing::HasSubstr;

v1::AccessPolicy Config(const std::string& text) {
  v1::AccessPolicy config;
  EXPECT_TRUE(ParseTextProto("test", text, &config).ok());
  return config;
}

absl::Status Refusal(const std::string& text) {
  return AccessPolicy::Create(Config(text)).status();
}

TEST(AccessPolicyTest, ShippedPolicyLoadsAndNamesEveryRole) {
  absl::StatusOr<AccessPolicy> policy =
      AccessPolicy::Load(testing::SourceDir() + "/config/access.textproto");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->trust_domain(), "complaints.local");
  const v1::Principal* clerk = policy->Find("staff/li");
  ASSERT_NE(clerk, nullptr);
  EXPECT_EQ(clerk->actor(), "li");
  EXPECT_EQ(policy->Find("staff/nobody"), nullptr);
}

TEST(AccessPolicyTest, ActorDefaultsToTheLastSegment) {
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::Create(Config(R"pb(
    trust_domain: "complaints.local"
    principals { identity: "staff/eng.zhang" roles: ROLE_HANDLER department: "engineering" }
    principals { identity: "system/call-centre" actor: "call-centre-1" roles: ROLE_INTEGRATION }
  )pb"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->Find("staff/eng.zhang")->actor(), "eng.zhang");
  EXPECT_EQ(policy->Find("system/call-centre")->actor(), "call-centre-1");
}

TEST(AccessPolicyTest, RefusesBadPrincipalsNamingTheField) {
  EXPECT_THAT(Refusal(R"pb(principals { identity: "staff/li" roles: ROLE_CLERK })pb").message(),
              HasSubstr("trust_domain"));
  const std::string domain = "trust_domain: \"complaints.local\" ";
  EXPECT_THAT(
      Refusal(domain + R"pb(principals { identity: "staff/../li" roles: ROLE_CLERK })pb").message(),
      HasSubstr("principals[0].identity"));
  EXPECT_THAT(Refusal(domain + R"pb(principals { identity: "staff/li" roles: ROLE_CLERK }
                                    principals { identity: "staff/li" roles: ROLE_MANAGER })pb")
                  .message(),
              HasSubstr("principals[1].identity: \"staff/li\" is already principals[0]"));
  EXPECT_THAT(Refusal(domain + R"pb(principals { identity: "staff/li" })pb").message(),
              HasSubstr("principals[0].roles: at least one"));
  EXPECT_THAT(
      Refusal(domain + R"pb(principals { identity: "staff/w" roles: ROLE_HANDLER })pb").message(),
      HasSubstr("principals[0].department: required for a handler"));
  EXPECT_THAT(Refusal(domain + R"pb(principals {
                                      identity: "staff/he"
                                      roles: [ ROLE_ANALYST, ROLE_CLERK ]
                                    })pb")
                  .message(),
              HasSubstr("an analyst never receives personal data"));
}

TEST(AccessPolicyTest, IdentityIsTheSpiffePathInTheTrustDomainElseTheCommonName) {
  AccessPolicy policy = *AccessPolicy::Create(Config(R"pb(trust_domain: "complaints.local")pb"));
  EXPECT_EQ(*policy.IdentityOf({"spiffe://complaints.local/staff/li"}, "ignored"), "staff/li");
  EXPECT_EQ(*policy.IdentityOf({}, "system/call-centre"), "system/call-centre");
  EXPECT_EQ(policy.IdentityOf({"spiffe://elsewhere.org/staff/li"}, "staff/li").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(policy.IdentityOf({"spiffe://complaints.local/a", "spiffe://complaints.local/b"}, "")
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(policy.IdentityOf({}, "Zhang Wei, Engineering").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(policy.IdentityOf({"spiffe://complaints.local/staff/../x"}, "").status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(AccessPolicyTest, AdmitActsInTheFirstRoleHoldingThePermission) {
  v1::Principal principal;
  principal.set_identity("staff/zhao");
  principal.set_actor("zhao");
  principal.set_department("engineering");
  principal.add_roles(v1::ROLE_CLERK);
  principal.add_roles(v1::ROLE_SUPERVISOR);
  absl::StatusOr<v1::Actor> clerk = AccessPolicy::Admit(principal, v1::PERMISSION_COMPLAINT_SUBMIT);
  ASSERT_TRUE(clerk.ok());
  EXPECT_EQ(clerk->role(), "clerk");
  absl::StatusOr<v1::Actor> supervisor =
      AccessPolicy::Admit(principal, v1::PERMISSION_EXTENSION_DECIDE);
  ASSERT_TRUE(supervisor.ok());
  EXPECT_EQ(supervisor->id(), "zhao");
  EXPECT_EQ(supervisor->role(), "supervisor");
  EXPECT_EQ(supervisor->department(), "engineering");

  absl::Status denied = AccessPolicy::Admit(principal, v1::PERMISSION_DEAD_LETTER_REDRIVE).status();
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(),
            "permission dead.letter.redrive required (held by operator); staff/zhao is clerk, "
            "supervisor");
}

TEST(RulesTest, AnalystsAndAuditorsNeverReadPersonalData) {
  for (v1::Role role : {v1::ROLE_ANALYST, v1::ROLE_AUDITOR}) {
    for (v1::Permission personal :
         {v1::PERMISSION_PERSONAL_CONTACT_READ, v1::PERMISSION_PERSONAL_IDENTITY_READ,
          v1::PERMISSION_EVIDENCE_READ}) {
      EXPECT_FALSE(Grants(role, personal)) << RoleName(role) << " " << PermissionName(personal);
    }
  }
  EXPECT_TRUE(Grants(v1::ROLE_HANDLER, v1::PERMISSION_PERSONAL_CONTACT_READ));
  EXPECT_FALSE(Grants(v1::ROLE_HANDLER, v1::PERMISSION_PERSONAL_IDENTITY_READ));
  EXPECT_FALSE(Grants(v1::ROLE_MANAGER, v1::PERMISSION_UNSPECIFIED));
}

// The rule table in docs/security.md is what the code does: a row per permission, its
// roles exactly those holding it.
TEST(RulesTest, TheReadmeTableIsTheRuleTable) {
  absl::StatusOr<std::string> readme = ReadFile(testing::SourceDir() + "/docs/security.md");
  ASSERT_TRUE(readme.ok());
  const size_t section = readme->find("## The rule table");
  ASSERT_NE(section, std::string::npos);
  std::map<std::string, std::string> rows;  // permission -> roles as written
  bool in_table = false;
  for (absl::string_view line : absl::StrSplit(absl::string_view(*readme).substr(section), '\n')) {
    if (in_table && !absl::StartsWith(line, "|")) break;
    in_table |= absl::StartsWith(line, "|");
    if (!absl::ConsumePrefix(&line, "| `")) continue;
    std::vector<std::string> cells = absl::StrSplit(line, " | ");
    if (cells.size() < 2 || !absl::EndsWith(cells[0], "`")) continue;
    rows[cells[0].substr(0, cells[0].size() - 1)] = cells[1];
  }
  for (int i = v1::Permission_MIN + 1; i <= v1::Permission_MAX; ++i) {
    const auto permission = static_cast<v1::Permission>(i);
    std::vector<std::string> names;
    for (v1::Role role : RolesWith(permission)) names.push_back(RoleName(role));
    auto row = rows.find(PermissionName(permission));
    ASSERT_NE(row, rows.end()) << PermissionName(permission) << " is missing from docs/security.md";
    EXPECT_EQ(row->second, absl::StrJoin(names, ", ")) << PermissionName(permission);
  }
  EXPECT_EQ(rows.size(), static_cast<size_t>(v1::Permission_MAX)) << "a row for no permission";
}

TEST(RulesTest, EveryPermissionIsHeldBySomeRole) {
  for (int i = v1::Permission_MIN + 1; i <= v1::Permission_MAX; ++i) {
    const auto permission = static_cast<v1::Permission>(i);
    EXPECT_FALSE(RolesWith(permission).empty()) << PermissionName(permission);
  }
  EXPECT_EQ(PermissionName(v1::PERMISSION_PERSONAL_CONTACT_READ), "personal.contact.read");
  EXPECT_EQ(RoleName(v1::ROLE_INTEGRATION), "integration");
}

v1::Actor Handler() {
  v1::Actor actor;
  actor.set_id("eng.zhang");
  actor.set_role("handler");
  actor.set_department("engineering");
  return actor;
}

v1::Actor As(absl::string_view role, absl::string_view department, bool centre_wide = false) {
  v1::Actor actor;
  actor.set_id(std::string(role) + ".x");
  actor.set_role(std::string(role));
  actor.set_department(std::string(department));
  actor.set_centre_wide(centre_wide);
  return actor;
}

TEST(CheckHoldingTest, AHandlerActsOnlyOnWhatTheyOrTheirDepartmentHold) {
  EXPECT_TRUE(CheckHolding(Handler(), "C1", "engineering", "eng.li").ok());
  EXPECT_TRUE(CheckHolding(Handler(), "C1", "duty-office", "eng.zhang").ok());
  absl::Status denied = CheckHolding(Handler(), "C1", "security", "sec.chen");
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(denied.message(), HasSubstr("complaint C1 is held by security/sec.chen"));
  EXPECT_EQ(CheckHolding(Handler(), "C1", "", "").code(), absl::StatusCode::kPermissionDenied);
}

TEST(CheckHoldingTest, ASupervisorActsWithinTheirDepartmentUnlessCentreWide) {
  const v1::Actor supervisor = As("supervisor", "engineering");
  EXPECT_TRUE(CheckHolding(supervisor, "C1", "engineering", "eng.li").ok());
  const absl::Status denied = CheckHolding(supervisor, "C1", "security", "sec.chen");
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(denied.message(),
              HasSubstr("a supervisor acts only on complaints held by their department "
                        "(engineering)"));
  EXPECT_EQ(CheckHolding(supervisor, "C1", "", "").code(), absl::StatusCode::kPermissionDenied);
  const v1::Actor duty = As("supervisor", "duty-office", /*centre_wide=*/true);
  EXPECT_TRUE(CheckHolding(duty, "C1", "security", "sec.chen").ok());
  EXPECT_TRUE(CheckHolding(duty, "C1", "", "").ok());
  EXPECT_TRUE(CheckHolding(As("manager", ""), "C1", "security", "sec.chen").ok());
  EXPECT_TRUE(CheckHolding(As("clerk", ""), "C1", "security", "sec.chen").ok());
}

TEST(ListableDepartmentTest, HandlersSupervisorsAndSystemsListTheirOwnDepartmentOnly) {
  EXPECT_EQ(*ListableDepartment(Handler(), ""), "engineering");
  EXPECT_EQ(*ListableDepartment(Handler(), "engineering"), "engineering");
  EXPECT_EQ(ListableDepartment(Handler(), "security").status().code(),
            absl::StatusCode::kPermissionDenied);
  const v1::Actor supervisor = As("supervisor", "engineering");
  EXPECT_EQ(*ListableDepartment(supervisor, ""), "engineering");
  EXPECT_THAT(std::string(ListableDepartment(supervisor, "security").status().message()),
              HasSubstr("(supervisor) lists only the work of their department (engineering)"));
  const v1::Actor app = As("integration", "engineering");
  EXPECT_EQ(*ListableDepartment(app, "engineering"), "engineering");
  EXPECT_EQ(ListableDepartment(app, "security").status().code(),
            absl::StatusCode::kPermissionDenied);
  const absl::Status unbound = ListableDepartment(As("integration", ""), "").status();
  EXPECT_EQ(unbound.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(unbound.message()), HasSubstr("bound to no department"));
  EXPECT_EQ(*ListableDepartment(As("supervisor", "duty-office", true), "security"), "security");
  EXPECT_EQ(*ListableDepartment(As("manager", ""), ""), "");
}

TEST(AccessPolicyTest, ASupervisorNeedsADepartmentUnlessCentreWide) {
  const std::string domain = "trust_domain: \"complaints.local\" ";
  EXPECT_THAT(Refusal(domain + R"pb(principals { identity: "staff/z" roles: ROLE_SUPERVISOR })pb")
                  .message(),
              HasSubstr("principals[0].department: required for a supervisor"));
  absl::StatusOr<AccessPolicy> policy = AccessPolicy::Create(
      Config(domain +
             R"pb(principals { identity: "staff/d" roles: ROLE_SUPERVISOR centre_wide: true })pb"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(AccessPolicy::Admit(*policy->Find("staff/d"), v1::PERMISSION_EXTENSION_DECIDE)
                  ->centre_wide());
}

}  // namespace
}  // namespace complaints
