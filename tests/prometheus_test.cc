// What operations watch, for real: the broker and the four services as
// processes, a real Prometheus (Debian's) scraping their status ports and
// evaluating deploy/monitoring/alerts.yml. Every metric family the services
// document is queried from Prometheus' HTTP API, and every expression of the
// alert rules and of the Grafana dashboard is run there: Prometheus must
// accept it, and each complaints_* metric it names must have data.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/runner/topics.h"
#include "libs/server/httplib.h"
#include "libs/testing/net.h"
#include "libs/testing/process.h"
#include "tests/scenario.h"

namespace complaints::testing {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// Every family docs/operations.md lists.
const char* const kFamilies[] = {
    "complaints_grpc_server_handled_total",
    "complaints_grpc_server_handling_seconds_bucket",
    "complaints_build_info",
    "complaints_ready",
    "complaints_outbox_depth",
    "complaints_outbox_oldest_age_seconds",
    "complaints_events_published_total",
    "complaints_events_consumed_total",
    "complaints_events_recorded_total",
    "complaints_relay_stuck",
    "complaints_consumer_assigned",
    "complaints_consumer_stuck",
    "complaints_consumer_renewals_total",
    "complaints_events_applied_total",
    "complaints_consumer_next_offset",
    "complaints_consumer_lag",
    "complaints_dead_letters",
    "complaints_dead_letters_by_kind",
    "complaints_store_bytes",
    "complaints_decisions_total",
    "complaints_scheduled_due",
    "complaints_scheduled_lag_seconds",
    "complaints_store_write_stalls_total",
    "complaints_store_write_stopped",
    "complaints_store_delayed_write_rate_bytes",
    "complaints_store_pending_compaction_bytes",
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class PrometheusServer {
 public:
  PrometheusServer(const std::string& dir, const std::string& rules,
                   const std::vector<std::string>& targets)
      : port_(FreePort()), client_("127.0.0.1", port_) {
    std::vector<std::string> quoted;
    for (const std::string& target : targets) quoted.push_back("\"" + target + "\"");
    std::ofstream(dir + "/prometheus.yml")
        << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        << "rule_files: [\"" << rules << "\"]\n"
        << "scrape_configs:\n  - job_name: complaints\n    static_configs:\n"
        << "      - targets: [" << absl::StrJoin(quoted, ", ") << "]\n";
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"/usr/bin/prometheus", "--config.file=" + dir + "/prometheus.yml",
                                 "--storage.tsdb.path=" + dir + "/tsdb",
                                 absl::StrCat("--web.listen-address=127.0.0.1:", port_)},
        dir + "/prometheus.log");
    client_.set_connection_timeout(2, 0);
  }

  bool Ready() {
    httplib::Result ready = client_.Get("/-/ready");
    return ready && ready->status == 200;
  }

  // The API's answer to `path`, or an empty Struct when it did not answer JSON.
  Struct Get(const std::string& path) {
    Struct answer;
    httplib::Result result = client_.Get(path);
    if (result) (void)google::protobuf::util::JsonStringToMessage(result->body, &answer);
    return answer;
  }

  // How many series `expr` yields now; -1 when Prometheus refuses it.
  int Series(const std::string& expr) {
    const Struct answer = Get("/api/v1/query?query=" + httplib::detail::encode_query_param(expr));
    const auto status = answer.fields().find("status");
    if (status == answer.fields().end() || status->second.string_value() != "success") return -1;
    const Value& data = answer.fields().at("data");
    const Value& result = data.struct_value().fields().at("result");
    return result.has_list_value() ? result.list_value().values_size() : 1;
  }

 private:
  int port_;
  httplib::Client client_;
  std::unique_ptr<ChildProcess> process_;
};

// Every "expr" string anywhere in `value` (the dashboard's panels and targets).
void CollectExprs(const Value& value, std::vector<std::string>* out) {
  if (value.has_struct_value()) {
    for (const auto& [name, field] : value.struct_value().fields()) {
      if (name == "expr" && field.has_string_value()) out->push_back(field.string_value());
      CollectExprs(field, out);
    }
  } else if (value.has_list_value()) {
    for (const Value& item : value.list_value().values()) CollectExprs(item, out);
  }
}

std::set<std::string> MetricsNamed(const std::string& expr) {
  static const std::regex kName("complaints_[a-z_]+");
  std::set<std::string> names;
  for (auto it = std::sregex_iterator(expr.begin(), expr.end(), kName);
       it != std::sregex_iterator(); ++it) {
    names.insert(it->str());
  }
  return names;
}

TEST(Prometheus, ScrapesEveryServiceAndEveryAlertAndPanelNamesExportedMetrics) {
  const char* source = std::getenv("COMPLAINTS_SOURCE_DIR");
  ASSERT_NE(source, nullptr) << "run through ctest";
  const std::string rules = std::string(source) + "/deploy/monitoring/alerts.yml";
  const std::string dashboard = std::string(source) + "/deploy/monitoring/grafana-dashboard.json";
  ASSERT_EQ(RunCommand({"/usr/bin/promtool", "check", "rules", rules}, "/dev/null"), 0)
      << "promtool check rules " << rules;

  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  Nyc311Complaints data;
  const absl::Time now = complaints::WallNow();
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Submit(cluster.intake(), data.Valid(i, "prometheus", now)).status.ok());
  }
  EXPECT_EQ(Submit(cluster.intake(), data.Invalid(0, "prometheus-bad", now)).status.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(WaitUntilCounted(cluster, 20, absl::Seconds(60)));
  // A record no writer of ours made: a dead letter for each consumer of intake's topic.
  RawProducer stranger(cluster.broker().Client("admin", "stranger"));
  ASSERT_TRUE(stranger.Send(topics::kIntake, 0, "C-stranger", "not an event") && stranger.Flush());

  std::vector<std::string> targets;
  for (Service service : kServices) {
    targets.push_back(absl::StrCat("127.0.0.1:", cluster.status_port(service)));
  }
  PrometheusServer prometheus(cluster.dir(), rules, targets);
  ASSERT_TRUE(Eventually([&] { return prometheus.Ready(); }, absl::Seconds(30), kPoll))
      << "Prometheus did not start; see " << cluster.dir() << "/prometheus.log";
  ASSERT_TRUE(Eventually([&] { return prometheus.Series(R"(up{job="complaints"} == 1)") == 4; },
                         absl::Seconds(30), kPoll))
      << "Prometheus scrapes all four status ports";

  for (const char* family : kFamilies) {
    EXPECT_TRUE(Eventually([&] { return prometheus.Series(family) > 0; }, absl::Seconds(20), kPoll))
        << family << ": no series in Prometheus";
  }
  EXPECT_EQ(
      prometheus.Series(R"(complaints_ready{service=~"intake|dispatch|tracking|analytics"} == 1)"),
      4);
  EXPECT_EQ(
      prometheus.Series(
          R"(complaints_grpc_server_handled_total{service="intake",method="SubmitComplaint",code="INVALID_ARGUMENT"} == 1)"),
      1);
  EXPECT_GE(prometheus.Series(R"(complaints_dead_letters_by_kind > 0)"), 1);
  // Rules decided every classification and assignment, and say which rule.
  EXPECT_GE(
      prometheus.Series(
          R"(complaints_decisions_total{service="intake",payload="classified",rule!=""} > 0)"),
      1);
  EXPECT_GE(
      prometheus.Series(
          R"(complaints_decisions_total{service="dispatch",payload="assigned",rule!=""} > 0)"),
      1);
  EXPECT_EQ(prometheus.Series(R"(complaints_scheduled_due{service="tracking",kind="timer"})"), 1);
  EXPECT_GE(
      prometheus.Series(
          R"(complaints_events_published_total{service="intake",topic="complaints.intake.v1"} > 0)"),
      1);
  EXPECT_GE(
      prometheus.Series(
          R"(complaints_events_consumed_total{service="analytics",topic="complaints.dispatch.v1"} > 0)"),
      1);
  EXPECT_EQ(prometheus.Series(R"(complaints_store_write_stalls_total{kind="stop"})"), 4);

  std::vector<std::string> expressions;
  for (absl::string_view line : absl::StrSplit(ReadAll(rules), '\n')) {
    absl::string_view text = absl::StripLeadingAsciiWhitespace(line);
    if (absl::ConsumePrefix(&text, "expr: ")) expressions.emplace_back(text);
  }
  const size_t alert_expressions = expressions.size();
  Value panels;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReadAll(dashboard), &panels).ok());
  CollectExprs(panels, &expressions);
  ASSERT_GE(alert_expressions, 11u);
  ASSERT_GE(expressions.size() - alert_expressions, 20u);
  for (const std::string& expr : expressions) {
    EXPECT_GE(prometheus.Series(expr), 0) << "Prometheus refuses: " << expr;
    for (const std::string& name : MetricsNamed(expr)) {
      EXPECT_GT(prometheus.Series(name), 0) << name << " (in " << expr << ") is not exported";
    }
  }

  // Every rule evaluates without an error.
  ASSERT_TRUE(Eventually(
      [&] {
        const Struct answer = prometheus.Get("/api/v1/rules");
        std::string json;
        (void)google::protobuf::util::MessageToJsonString(answer, &json);
        return absl::StrContains(json, "\"health\":\"ok\"") &&
               !absl::StrContains(json, "\"health\":\"err\"") &&
               !absl::StrContains(json, "\"health\":\"unknown\"");
      },
      absl::Seconds(20), kPoll))
      << "an alert rule does not evaluate";
  std::cout << "prometheus: " << std::size(kFamilies) << " families scraped from 4 services, "
            << alert_expressions << " alert and " << expressions.size() - alert_expressions
            << " dashboard expressions run" << std::endl;
}

}  // namespace
}  // namespace complaints::testing
