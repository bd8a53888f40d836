// End to end: the broker and the four services as processes; 1,000 complaints
// through gRPC, with repeated idempotency keys and invalid submissions mixed in.
// Every valid complaint must be assigned, have deadlines and be counted exactly
// once; every invalid one must get INVALID_ARGUMENT and leave no trace.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/core/time_util.h"
#include "libs/server/httplib.h"
#include "tests/scenario.h"

namespace complaints::testing {
namespace {

using ::testing::HasSubstr;

constexpr int kValid = 1000;
constexpr int kRepeats = 100;
constexpr int kInvalid = 100;
constexpr int kClients = 8;

enum class Kind { kFirst, kRepeat, kBad };
// The logs with what may hold digits by chance masked: each line's time
// (microseconds) and the complaint ids (16 hex digits), so that a search
// for a phone number finds only a phone number.
std::string WithoutTimesAndIds(const std::string& logs) {
  std::string out;
  out.reserve(logs.size());
  const auto digits = [&](size_t at, size_t n, bool hex) {
    if (at + n > logs.size()) return false;
    for (size_t i = at; i < at + n; ++i) {
      const char c = logs[i];
      if (!(std::isdigit(static_cast<unsigned char>(c)) || (hex && c >= 'A' && c <= 'F')))
        return false;
    }
    return true;
  };
  for (size_t i = 0; i < logs.size();) {
    if (logs.compare(i, 6, "\"ts\":\"") == 0) {
      const size_t end = logs.find('"', i + 6);
      if (end == std::string::npos) break;
      out += "\"ts\":\"T\"";
      i = end + 1;
    } else if (logs[i] == 'C' && digits(i + 1, 8, false) && i + 9 < logs.size() &&
               logs[i + 9] == '-' && digits(i + 10, 16, true)) {
      out += "C-ID";
      i += 26;
    } else {
      out += logs[i++];
    }
  }
  return out;
}

struct Job {
  Kind kind;
  v1::SubmitComplaintRequest request;
};

TEST(E2e, ThousandComplaintsFlowThroughAllFourServicesExactlyOnce) {
  // Each event applied and recorded is a debug line (info keeps commands and
  // errors); the complaint followed through the logs below needs them.
  Cluster cluster({"--log_level=debug"});
  ASSERT_TRUE(cluster.Start());
  Nyc311Complaints data;
  ASSERT_GE(data.size(), 1000u);
  const absl::Time now = complaints::WallNow();

  // Valid, repeats of earlier keys and invalid ones, interleaved.
  std::vector<Job> jobs;
  for (int i = 0; i < kValid; ++i) {
    jobs.push_back({Kind::kFirst, data.Valid(i, "e2e", now)});
    if (i % 10 == 9) jobs.push_back({Kind::kRepeat, data.Valid(i - 5, "e2e", now)});
    if (i % 10 == 4) jobs.push_back({Kind::kBad, data.Invalid(i, "e2e-bad", now)});
  }
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::vector<absl::Duration> latencies;
  std::map<std::string, std::string> id_by_key;              // from first submissions
  std::vector<std::pair<std::string, std::string>> repeats;  // key, id answered
  int invalid_rejected = 0;
  // Per repeated key: answers, and how many said duplicate. A repeat may race
  // its original (8 clients), so which of the two is flagged is not fixed;
  // exactly one of them is.
  std::map<std::string, std::pair<int, int>> answers_by_key;
  std::vector<std::string> unexpected;

  const absl::Time started = complaints::WallNow();
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      for (size_t j; (j = next++) < jobs.size();) {
        const Job& job = jobs[j];
        Submitted result = Submit(cluster.intake(), job.request);
        std::lock_guard<std::mutex> lock(mu);
        latencies.push_back(result.latency);
        if (job.kind == Kind::kBad) {
          if (result.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT)
            ++invalid_rejected;
          else
            unexpected.push_back("invalid accepted: " + job.request.idempotency_key());
          continue;
        }
        if (!result.status.ok()) {
          unexpected.push_back(job.request.idempotency_key() + ": " +
                               result.status.error_message());
          continue;
        }
        auto& [answers, duplicates] = answers_by_key[job.request.idempotency_key()];
        ++answers;
        duplicates += result.response.duplicate();
        if (job.kind == Kind::kRepeat) {
          repeats.emplace_back(job.request.idempotency_key(), result.response.complaint_id());
        } else {
          id_by_key[job.request.idempotency_key()] = result.response.complaint_id();
        }
      }
    });
  }
  for (std::thread& client : clients) client.join();
  const absl::Duration submit_time = complaints::WallNow() - started;
  ASSERT_TRUE(unexpected.empty()) << unexpected.size() << " unexpected, first: " << unexpected[0];
  EXPECT_EQ(invalid_rejected, kInvalid);
  ASSERT_EQ(id_by_key.size(), static_cast<size_t>(kValid));
  int repeated_keys = 0;
  for (const auto& [key, counts] : answers_by_key) {
    EXPECT_EQ(counts.second, counts.first - 1)
        << key << ": all answers but the first are duplicates";
    repeated_keys += counts.first > 1;
  }
  EXPECT_EQ(repeated_keys, kRepeats);
  for (const auto& [key, id] : repeats) {
    EXPECT_EQ(id, id_by_key[key]) << "a repeated key returns the original complaint";
  }

  // An invalid submission's key was not consumed: the corrected request is new.
  for (int i = 4; i < 4 + 10 * 10; i += 10) {
    const v1::SubmitComplaintRequest corrected = data.Valid(i, "e2e-bad", now);
    Submitted fixed = Submit(cluster.intake(), corrected);
    ASSERT_TRUE(fixed.status.ok()) << fixed.status.error_message();
    EXPECT_FALSE(fixed.response.duplicate());
    id_by_key[corrected.idempotency_key()] = fixed.response.complaint_id();
  }
  const int64_t expected = static_cast<int64_t>(id_by_key.size());
  std::set<std::string> distinct_ids;
  for (const auto& [key, id] : id_by_key) distinct_ids.insert(id);
  ASSERT_EQ(distinct_ids.size(), id_by_key.size()) << "every complaint has its own id";

  ASSERT_TRUE(WaitUntilCounted(cluster, expected, absl::Seconds(120)))
      << "analytics total " << Totals(cluster).total << ", unassigned "
      << Totals(cluster).unassigned << ", expected " << expected;
  const absl::Duration pipeline_time = complaints::WallNow() - started;
  std::vector<std::string> ids(distinct_ids.begin(), distinct_ids.end());
  std::vector<std::string> incomplete = WaitUntilComplete(cluster, ids, absl::Seconds(60));
  EXPECT_TRUE(incomplete.empty()) << incomplete.size() << " incomplete, first: " << incomplete[0];
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(Totals(cluster).total, expected) << "nothing is counted late or twice";

  // Operations see the same through the status ports: intake counted every
  // submission by its code, and each service is ready with nothing left
  // waiting in its outbox.
  httplib::Client intake_status("127.0.0.1", cluster.status_port(Service::kIntake));
  httplib::Result scraped = intake_status.Get("/metrics");
  ASSERT_TRUE(scraped && scraped->status == 200);
  // (Labels come sorted by name after the service's.)
  auto handled = [](const std::string& code) {
    return absl::StrCat(R"(complaints_grpc_server_handled_total{service="intake",code=")", code,
                        R"(",method="SubmitComplaint"} )");
  };
  EXPECT_THAT(scraped->body, HasSubstr(absl::StrCat(handled("OK"), kValid + kRepeats + 10, "\n")));
  EXPECT_THAT(scraped->body, HasSubstr(absl::StrCat(handled("INVALID_ARGUMENT"), kInvalid, "\n")));
  for (Service service : kServices) {
    httplib::Client status("127.0.0.1", cluster.status_port(service));
    EXPECT_EQ(status.Get("/readyz")->status, 200) << NameOf(service);
    const std::string drained =
        absl::StrCat("complaints_outbox_depth{service=\"", NameOf(service), "\"} 0\n");
    EXPECT_TRUE(Eventually(
        [&] {
          httplib::Result metrics = status.Get("/metrics");
          return metrics && metrics->body.find(drained) != std::string::npos;
        },
        absl::Seconds(10), kPoll))
        << NameOf(service) << ": the outbox drains";
  }

  // §3.1 / §5.1: three calls about one burst pipe within half an hour are
  // one incident. Analytics records it on each complaint; tracking shows it.
  std::vector<std::string> burst;
  for (int i = 0; i < 3; ++i) {
    Submitted submitted = Submit(cluster.intake(), BurstPipeCall(data, i, "e2e-burst", now));
    ASSERT_TRUE(submitted.status.ok()) << submitted.status.error_message();
    burst.push_back(submitted.response.complaint_id());
  }
  v1::ListIncidentsResponse incidents;
  ASSERT_TRUE(Eventually(
      [&] {
        grpc::ClientContext context;
        v1::ListIncidentsRequest request;
        request.set_community("Riverside Court");
        return cluster.analytics().ListIncidents(&context, request, &incidents).ok() &&
               incidents.incidents_size() == 1 && incidents.incidents(0).size() == 3;
      },
      absl::Seconds(30)))
      << incidents.ShortDebugString();
  const v1::Incident& incident = incidents.incidents(0);
  EXPECT_EQ(incident.building(), "88");
  for (const std::string& member : burst) {
    EXPECT_TRUE(
        std::count(incident.complaint_ids().begin(), incident.complaint_ids().end(), member) == 1)
        << member;
    EXPECT_TRUE(Eventually(
        [&] {
          grpc::ClientContext context;
          v1::GetComplaintRequest request;
          request.set_complaint_id(member);
          v1::GetComplaintResponse shown;
          return cluster.tracking().GetComplaint(&context, request, &shown).ok() &&
                 shown.view().analytics().incident_id() == incident.incident_id();
        },
        absl::Seconds(30)))
        << member << " shows incident " << incident.incident_id();
  }

  // §4.2: the logs hold no complainant's name or phone number, whatever
  // happened (the invalid submissions included).
  const std::string logs = WithoutTimesAndIds(cluster.ServiceLogs());
  EXPECT_GT(logs.size(), 0u);
  EXPECT_EQ(logs.find("Resident "), std::string::npos) << "a complainant's name is in a log";
  EXPECT_EQ(logs.find("212 555"), std::string::npos) << "a phone number is in a log";
  EXPECT_EQ(logs.find("212555"), std::string::npos) << "a phone number is in a log";

  // One complaint followed through the four services' JSON logs by its id,
  // as `jq 'select(.complaint_id == …)'` would: each service logged what it
  // did, and each follow-up names the event that caused it.
  const std::string followed = id_by_key.begin()->second;
  std::map<Service, std::vector<LogLine>> about;
  for (Service service : kServices) {
    for (LogLine& line : ParseLogLines(cluster.ServiceLog(service), NameOf(service))) {
      if (line.complaint_id == followed) about[service].push_back(std::move(line));
    }
  }
  std::set<std::string> intake_recorded;
  for (const LogLine& line : about[Service::kIntake]) {
    if (line.msg.starts_with("recorded ")) intake_recorded.insert(line.event_id);
  }
  EXPECT_TRUE(
      std::any_of(about[Service::kIntake].begin(), about[Service::kIntake].end(),
                  [](const LogLine& line) { return line.msg.starts_with("recorded received"); }))
      << "intake logs the receipt of " << followed;
  std::set<std::string> others_recorded = intake_recorded;
  for (Service service : {Service::kDispatch, Service::kTracking}) {
    const std::vector<LogLine>& lines = about[service];
    EXPECT_TRUE(std::any_of(lines.begin(), lines.end(),
                            [&](const LogLine& line) {
                              return line.msg.starts_with("applied ") &&
                                     intake_recorded.count(line.event_id) > 0;
                            }))
        << NameOf(service) << " logs applying intake's events of " << followed;
    EXPECT_TRUE(std::any_of(lines.begin(), lines.end(),
                            [&](const LogLine& line) {
                              return line.msg.starts_with("recorded ") &&
                                     others_recorded.count(line.causation_id) > 0;
                            }))
        << NameOf(service) << " logs a follow-up caused by an earlier event of " << followed;
    for (const LogLine& line : lines) {
      if (line.msg.starts_with("recorded ")) others_recorded.insert(line.event_id);
    }
  }
  const std::vector<LogLine>& counted = about[Service::kAnalytics];
  EXPECT_TRUE(std::any_of(counted.begin(), counted.end(),
                          [&](const LogLine& line) {
                            return line.msg.starts_with("applied assigned") &&
                                   others_recorded.count(line.event_id) > 0;
                          }))
      << "analytics logs counting the assignment of " << followed;

  std::printf("[figures] e2e: %d submissions (%d valid, %d repeats, %d invalid) by %d clients\n",
              static_cast<int>(jobs.size()), kValid, kRepeats, kInvalid, kClients);
  std::printf(
      "[figures] e2e: submit phase %.2f s = %.0f submissions/s; submit latency p50 %.2f ms, p99 "
      "%.2f ms\n",
      absl::ToDoubleSeconds(submit_time), jobs.size() / absl::ToDoubleSeconds(submit_time),
      absl::ToDoubleMilliseconds(Quantile(latencies, 0.50)),
      absl::ToDoubleMilliseconds(Quantile(latencies, 0.99)));
  std::printf(
      "[figures] e2e: whole pipeline (submit -> assigned, deadlines, counted) %.2f s = %.0f "
      "complaints/s\n",
      absl::ToDoubleSeconds(pipeline_time), expected / absl::ToDoubleSeconds(pipeline_time));
}

}  // namespace
}  // namespace complaints::testing
