// §5.1 the analysts' HTTP/JSON API over a real HTTP connection: sign-in
// tokens, query parameters as request fields, answers in protobuf's JSON.
#include "services/analytics/app/analytics_http.h"

#include <fstream>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/security/token.h"
#include "libs/server/httplib.h"
#include "libs/testing/events.h"
#include "libs/testing/temp_dir.h"
#include "services/analytics/app/analytics_app_fixture.h"

namespace complaints::analytics {
namespace {

using namespace complaints::testing;
using ::testing::HasSubstr;

class HttpTest : public AnalyticsAppTest {
 protected:
  void SetUp() override {
    AnalyticsAppTest::SetUp();
    http_ = *AnalyticsHttp::Start(
        app_.get(), {.token_keys = {{"tok-1", issuer_.public_key()}}, .clock = &clock_});
    client_ = std::make_unique<httplib::Client>("127.0.0.1", http_->port());
    ASSERT_TRUE(
        app_->Apply({ConsumedOf(topics::kIntake, Received("C1"), 0),
                     ConsumedOf(topics::kIntake, Classified("C1", "plumbing", v1::PRIORITY_P2), 1)})
            .ok());
  }

  std::string TokenFor(v1::Role role) {
    v1::Principal principal;
    principal.set_identity("staff/he");
    principal.add_roles(role);
    return issuer_.Issue(principal, absl::Minutes(15))->token();
  }

  httplib::Result Get(const std::string& path, const std::string& token) {
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return client_->Get(path, headers);
  }

  TokenIssuer issuer_{NamedKey{"tok-1", *SecretKey::FromBytes(std::string(kKeyBytes, 'k'))},
                      &clock_};
  std::unique_ptr<AnalyticsHttp> http_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(HttpTest, FiguresAnswerAsProtobufJsonToASignedInAnalyst) {
  httplib::Result result =
      Get("/api/v1/figures?group_by=FIGURE_DIMENSION_CATEGORY,FIGURE_DIMENSION_COMMUNITY",
          TokenFor(v1::ROLE_ANALYST));
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  v1::GetFiguresResponse figures;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(result->body, &figures).ok());
  EXPECT_EQ(figures.complaints(), 1);
  ASSERT_EQ(figures.rows_size(), 1);
  EXPECT_EQ(figures.rows(0).category(), "plumbing");
  EXPECT_EQ(figures.rows(0).community(), "Sunshine Garden");
  ASSERT_TRUE(Get("/healthz", ""));
  EXPECT_EQ(Get("/healthz", "")->status, 200);
}

TEST_F(HttpTest, NoTokenAForgedOneOrTheWrongRoleIsRefused) {
  httplib::Result none = Get("/api/v1/incidents", "");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_THAT(none->body, HasSubstr("UNAUTHENTICATED"));
  std::string forged = TokenFor(v1::ROLE_ANALYST);
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(Get("/api/v1/incidents", forged)->status, 401);
  httplib::Result handler = Get("/api/v1/incidents", TokenFor(v1::ROLE_HANDLER));
  EXPECT_EQ(handler->status, 403);
  EXPECT_THAT(handler->body, HasSubstr("figures.read"));
  clock_.Advance(absl::Minutes(16));
  EXPECT_EQ(Get("/api/v1/incidents", TokenFor(v1::ROLE_ANALYST))->status, 200) << "a fresh one";
}

TEST_F(HttpTest, BadParametersNameTheFieldAndUnknownOnesAreRefused) {
  const std::string token = TokenFor(v1::ROLE_MANAGER);
  httplib::Result bad = Get("/api/v1/projection?horizon=500", token);
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, HasSubstr("horizon"));
  httplib::Result unknown = Get("/api/v1/projection?actor=me", token);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_THAT(unknown->body, HasSubstr("actor: not a parameter"));
  httplib::Result enum_name = Get("/api/v1/projection?interval=FORTNIGHT", token);
  EXPECT_EQ(enum_name->status, 400);
  httplib::Result missing = Get("/reports/week-2026-W01.html", token);
  EXPECT_EQ(missing->status, 404);
  // The one complaint was received after the fake clock's today: nothing before the origin.
  httplib::Result nothing = Get("/api/v1/projection", token);
  EXPECT_EQ(nothing->status, 404) << nothing->body;
  EXPECT_THAT(nothing->body, HasSubstr("series: no complaints counted before the origin"));
}

TEST_F(HttpTest, BooleansAreLiteralsAndOpenIncidentsCanBeAskedFor) {
  const std::string token = TokenFor(v1::ROLE_ANALYST);
  EXPECT_EQ(Get("/api/v1/incidents?open_only=true", token)->status, 200);
  EXPECT_EQ(Get("/api/v1/incidents?open_only=false", token)->status, 200);
  httplib::Result bad = Get("/api/v1/incidents?open_only=yes", token);
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, HasSubstr("open_only: true or false"));
}

TEST_F(HttpTest, TheDashboardsFilesAreServedWithoutATokenUnderAStrictPolicy) {
  TempDir dir;
  std::ofstream(dir.Sub("index.html")) << "<!doctype html><title>board</title>";
  std::ofstream(dir.Sub("dashboard.js")) << "'use strict';";
  std::unique_ptr<AnalyticsHttp> http =
      *AnalyticsHttp::Start(app_.get(), {.token_keys = {{"tok-1", issuer_.public_key()}},
                                         .clock = &clock_,
                                         .dashboard_dir = dir.path()});
  httplib::Client client("127.0.0.1", http->port());
  httplib::Result page = client.Get("/dashboard/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("<title>board</title>"));
  EXPECT_THAT(page->get_header_value("Content-Security-Policy"), HasSubstr("script-src 'self'"));
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  httplib::Result script = client.Get("/dashboard/dashboard.js");
  EXPECT_THAT(script->get_header_value("Content-Type"), HasSubstr("javascript"));
  EXPECT_EQ(client.Get("/")->status, 302);
  EXPECT_THAT(client.Get("/dashboard/../index.html")->status, ::testing::AnyOf(400, 404))
      << "nothing outside the folder";
  EXPECT_EQ(client.Get("/api/v1/figures")->status, 401) << "the figures still need a token";

  TempDir empty;
  absl::StatusOr<std::unique_ptr<AnalyticsHttp>> refused = AnalyticsHttp::Start(
      app_.get(), {.token_keys = {}, .clock = &clock_, .dashboard_dir = empty.path()});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace complaints::analytics
