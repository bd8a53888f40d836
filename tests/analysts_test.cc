// The analysts' tools against the running platform (§5.1): the broker and the
// four services as processes, complaints submitted over 18 weeks of the
// services' clock (so there is history to project) with a burst at one
// building, then
//   - the dashboard in headless Chromium (web/dashboard/browser_test.mjs):
//     no console error, every chart and table equal to the HTTP/JSON API,
//     screenshots kept in <build>/test-artifacts/analysts/ and checked for
//     drawn series;
//   - the Python client (clients/python/tests/system_test.py): figures and
//     counts as DataFrames equal to what was submitted, a projection, the
//     incident, a refused query, and the example's PNG.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/core/time_util.h"
#include "libs/testing/net.h"
#include "libs/testing/test_pki.h"
#include "tests/scenario.h"
#include "tests/walk.h"

namespace complaints::testing {
namespace {

// 18 weeks of complaints, received on the services' clock: 2–6 each
// weekday, 0–2 each weekend day (a fixed scramble of the day number), so the
// projection has a weekly pattern and noise to learn.
constexpr int kDays = 126;
int OnDay(int day) {
  const int scramble = (day * 37 + 11) % 5;
  return day % 7 < 5 ? 2 + scramble : scramble % 3;
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// Runs `command` through the shell; its exit code (-1 when it did not exit).
int RunShell(const std::string& command) {
  std::cout << "$ " << command.substr(0, 300) << std::endl;
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Quoted(const std::string& text) { return "'" + text + "'"; }

TEST(Analysts, TheDashboardAndThePythonClientShowWhatTheServicesCounted) {
  const std::string source = Env("COMPLAINTS_SOURCE_DIR");
  const std::string binary = Env("COMPLAINTS_BINARY_DIR");
  ASSERT_FALSE(source.empty() || binary.empty()) << "run through ctest";
  const int http_port = FreePort();
  Cluster cluster({"--test_mode"});
  cluster.AddFlags(Service::kAnalytics, {absl::StrCat("--http_listen=127.0.0.1:", http_port),
                                         "--dashboard_dir=" + binary + "/web/dashboard",
                                         "--projection_refresh_interval=2s"});
  ASSERT_TRUE(cluster.Start());
  Walk walk(cluster);
  Nyc311Complaints data;
  const absl::TimeZone centre = [] {
    absl::TimeZone zone;
    EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &zone));
    return zone;
  }();

  // Day by day; on the last, three calls about one burst pipe as well. In
  // the last 12 weeks, each day's first complaint is resolved the next day
  // and its second six days later, so the weekly deadline compliance and
  // resolution times have something to show.
  std::map<std::string, int> expected;               // day received -> complaints
  std::map<int, std::vector<std::string>> received;  // day -> complaint ids
  auto resolve = [&](int day, size_t index) {
    if (day < kDays - 7 * 12 || received[day].size() <= index) return;
    const std::string& id = received[day][index];
    STEP(walk.Do(&v1::DispatchService::Stub::Accept, AcceptOf(id), id + "/accept",
                 walk.HolderOf(id)));
    Close(walk, id, 1 + day % 5, 1);
  };
  absl::Time now = complaints::WallNow();
  int submitted = 0;
  for (int day = 0; day < kDays; ++day) {
    if (day > 0) {
      now = walk.Advance(absl::Hours(24), absl::ZeroDuration());
      resolve(day - 1, 0);
      resolve(day - 6, 1);
    }
    for (int i = 0; i < OnDay(day); ++i) {
      Submitted answer = Submit(cluster.intake(), data.Valid(submitted, "analysts", now));
      ASSERT_TRUE(answer.status.ok()) << answer.status.error_message();
      received[day].push_back(answer.response.complaint_id());
      ++expected[absl::FormatTime("%Y-%m-%d", now, centre)];
      ++submitted;
    }
  }
  for (int i = 0; i < 3; ++i) {
    Submitted answer = Submit(cluster.intake(), BurstPipeCall(data, i, "analysts-burst", now));
    ASSERT_TRUE(answer.status.ok()) << answer.status.error_message();
    ++expected[absl::FormatTime("%Y-%m-%d", now, centre)];
    ++submitted;
  }
  ASSERT_TRUE(WaitUntilCounted(cluster, submitted, absl::Seconds(60)));
  ASSERT_TRUE(Eventually(
      [&] {
        grpc::ClientContext context;
        v1::ListIncidentsResponse incidents;
        return cluster.analytics().ListIncidents(&context, {}, &incidents).ok() &&
               incidents.incidents_size() == 1;
      },
      absl::Seconds(30), kPoll))
      << "the burst is one incident";

  // Open complaints past their time count as overdue, and the clock moved
  // faster than tracking's timer loop fires breaches: the dashboard is read
  // once the overdue count has held still for 3 s and analytics' figures
  // show it, so the charts and the API answer the same settled figures.
  v1::ListComplaintsRequest overdue;
  overdue.set_verdict(v1::SLA_VERDICT_OVERDUE);
  for (int status = v1::HANDLING_STATUS_OPEN; status <= v1::HANDLING_STATUS_ARCHIVED; ++status) {
    overdue.add_statuses(static_cast<v1::HandlingStatus>(status));
  }
  int64_t listed_overdue = -1;
  absl::Time unchanged_since = complaints::WallNow();
  ASSERT_TRUE(Eventually(
      [&] {
        const auto listed = static_cast<int64_t>(ListAllComplaints(cluster, overdue).size());
        if (listed != listed_overdue) {
          listed_overdue = listed;
          unchanged_since = complaints::WallNow();
          return false;
        }
        const std::optional<v1::MetricsRow> figures = FiguresOfAll(cluster);
        return figures.has_value() && figures->overdue() == listed_overdue &&
               complaints::WallNow() - unchanged_since >= absl::Seconds(3);
      },
      absl::Seconds(180), absl::Milliseconds(500)))
      << "figures and the overdue list agree and hold still (" << listed_overdue << " listed)";

  // A sign-in token for the dashboard, as `complaintctl --as he login` gets one.
  grpc::ClientContext context;
  v1::IssueTokenRequest token_request;
  v1::IssueTokenResponse token;
  ASSERT_TRUE(cluster.analytics().IssueToken(&context, token_request, &token).ok());

  const std::string artifacts = binary + "/test-artifacts/analysts";
  std::filesystem::create_directories(artifacts);
  const std::string url = absl::StrCat("http://127.0.0.1:", http_port);
  EXPECT_EQ(
      RunShell(absl::StrCat("node ", Quoted(source + "/web/dashboard/browser_test.mjs"), " --url ",
                            url, " --token ", Quoted(token.token()), " --out ", Quoted(artifacts))),
      0)
      << "the dashboard in Chromium";

  std::vector<std::string> days;
  for (const auto& [day, count] : expected) days.push_back(absl::StrCat("\"", day, "\": ", count));
  const TlsFiles he = TestPki::Shared().Files("staff/he");
  EXPECT_EQ(
      RunShell(absl::StrCat(source, "/.cache/python-client/bin/python ",
                            Quoted(source + "/clients/python/tests/system_test.py"), " --target ",
                            cluster.address(Service::kAnalytics), " --ca ", Quoted(he.ca),
                            " --cert ", Quoted(he.cert), " --key ", Quoted(he.key), " --expect ",
                            Quoted(absl::StrCat("{", absl::StrJoin(days, ", "), "}")), " --out ",
                            Quoted(artifacts))),
      0)
      << "the Python client";
}

}  // namespace
}  // namespace complaints::testing
