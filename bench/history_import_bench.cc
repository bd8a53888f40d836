// History import through the whole platform: N cases (default 50,000) made
// from the NYC 311 sample (tests/data/history) — each row repeated under
// new Unique Keys, days shifted back a week per round — imported with
// `complaintctl import-history` into the broker and the four services as
// processes, then waited for until analytics counted every case and
// tracking closed every closed one (the whole pipeline caught up). Prints
// cases per minute for both, complaintctl's peak memory, and the CPU the
// four services spent per case (the pipeline's cost; a change to the
// runner, server, store, crypto or logging reports it). Target: at least
// 20,000 cases per minute caught up on 2 cores.
//   scripts/history_import_bench.sh [cases]

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bench/pipeline/process_stats.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/testing/process.h"
#include "tests/scenario.h"
#include "tools/complaintctl/history/csv_reader.h"

namespace {

using namespace complaints;
using namespace complaints::testing;

// Moves an NYC 311 "MM/DD/YYYY hh:mm:ss AM" time `weeks` weeks back.
std::string WeeksBack(const std::string& text, int weeks) {
  if (text.empty()) return text;
  absl::Time time;
  std::string error;
  if (!absl::ParseTime("%m/%d/%Y %I:%M:%S %p", text, absl::UTCTimeZone(), &time, &error)) {
    return text;
  }
  return absl::FormatTime("%m/%d/%Y %I:%M:%S %p", time - absl::Hours(24 * 7 * weeks),
                          absl::UTCTimeZone());
}

// One CSV field, quoted when it must be.
std::string Quoted(const std::string& field) {
  if (field.find_first_of(",\"\n\r") == std::string::npos) return field;
  return absl::StrCat("\"", absl::StrReplaceAll(field, {{"\"", "\"\""}}), "\"");
}

// Writes `cases` rows: the sample's, round after round, each round's keys
// suffixed with its number and its created and closed times a week earlier
// than the round before. Returns how many are closed.
int64_t WriteCases(const std::string& path, int64_t cases) {
  std::ifstream in(SourceDir() + "/tests/data/history/nyc311-2011-03-sample.csv");
  ctl::CsvReader reader(in);
  std::vector<std::string> header;
  reader.Next(&header);
  const auto column = [&](const std::string& name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const size_t key = column("Unique Key"), created = column("Created Date"),
               closed_at = column("Closed Date"), status = column("Status");
  std::vector<std::vector<std::string>> rows;
  for (std::vector<std::string> row; reader.Next(&row);) rows.push_back(row);
  std::ofstream out(path);
  out << absl::StrJoin(header, ",") << "\n";
  int64_t closed = 0;
  for (int64_t i = 0; i < cases; ++i) {
    std::vector<std::string> row = rows[static_cast<size_t>(i) % rows.size()];
    const int round = static_cast<int>(i / static_cast<int64_t>(rows.size()));
    row[key] = absl::StrCat(row[key], "-", round);
    row[created] = WeeksBack(row[created], round);
    row[closed_at] = WeeksBack(row[closed_at], round);
    closed += row[status] == "Closed";
    for (std::string& field : row) field = Quoted(field);
    out << absl::StrJoin(row, ",") << "\n";
  }
  return closed;
}

// Analytics' resolved complaints over all days: what tracking closed, as
// the end of the pipeline sees it; -1 when analytics did not answer.
int64_t ResolvedInFigures(Cluster& cluster) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
  v1::GetFiguresResponse figures;
  if (!cluster.analytics().GetFigures(&context, v1::GetFiguresRequest(), &figures).ok()) return -1;
  int64_t resolved = 0;
  for (const v1::MetricsRow& row : figures.rows()) resolved += row.resolved();
  return resolved;
}

// The count after "imported " in the import's summary; -1 when absent.
int64_t ImportedIn(const std::string& summary) {
  const size_t at = summary.find(": imported ");
  if (at == std::string::npos) return -1;
  return std::atoll(summary.c_str() + at + sizeof(": imported ") - 1);
}

constexpr const char* kServiceNames[] = {"intake", "dispatch", "tracking", "analytics"};

}  // namespace

int main(int argc, char** argv) {
  const int64_t cases = argc > 1 ? std::atoll(argv[1]) : 50'000;
  Cluster cluster;
  if (!cluster.Start()) return 2;
  TempDir dir;
  const std::string file = dir.Sub("history.csv");
  const int64_t closed = WriteCases(file, cases);
  const TlsFiles files = TestPki::Shared().Files("ops/oncall");
  const std::string log = dir.Sub("import.log");
  std::map<int, absl::Duration> cpu_before;
  for (int i = 0; i < 4; ++i) cpu_before[i] = bench::CpuOf(cluster.pid(kServices[i]));
  const absl::Time started = complaints::WallNow();
  const int code = RunCommand(
      {BinaryDir() + "/tools/complaintctl/complaintctl",
       "--intake=" + cluster.address(Service::kIntake), "--cert=" + files.cert,
       "--key_file=" + files.key, "--ca=" + files.ca, "import-history",
       "--mapping=" + SourceDir() + "/tools/complaintctl/mappings/nyc311.textproto", file},
      log);
  const absl::Time sent = complaints::WallNow();
  const std::string summary = ReadFile(log).value_or("");
  std::printf("%s", summary.c_str());
  const int64_t expected = ImportedIn(summary);
  if (code > 1 || expected < 0) return 1;
  if (!WaitUntilCounted(cluster, expected, absl::Minutes(30))) {
    std::printf("analytics did not count %lld cases within 30 minutes\n",
                static_cast<long long>(expected));
    return 1;
  }
  const absl::Time counted = complaints::WallNow();
  if (!Eventually([&] { return ResolvedInFigures(cluster) == closed; }, absl::Minutes(30), kPoll)) {
    std::printf("analytics did not see %lld closed cases within 30 minutes\n",
                static_cast<long long>(closed));
    return 1;
  }
  const absl::Time caught_up = complaints::WallNow();
  absl::Duration cpu_total;
  std::string cpu_each;
  for (int i = 0; i < 4; ++i) {
    const absl::Duration spent = bench::CpuOf(cluster.pid(kServices[i])) - cpu_before[i];
    cpu_total += spent;
    absl::StrAppend(&cpu_each, i == 0 ? "" : ", ", kServiceNames[i], " ",
                    absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(spent) / expected));
  }
  const double minutes_sent = absl::ToDoubleMinutes(sent - started);
  const double minutes_all = absl::ToDoubleMinutes(caught_up - started);
  std::printf(
      "[figures] history import: %lld cases (%lld closed); sent in %.1f s (%.0f cases/min); "
      "analytics counted all after %.1f s; whole pipeline caught up (tracking's closings of all "
      "%lld closed cases in analytics' figures) after %.1f s: %.0f cases/min\n",
      static_cast<long long>(expected), static_cast<long long>(closed), minutes_sent * 60,
      expected / minutes_sent, absl::ToDoubleSeconds(counted - started),
      static_cast<long long>(closed), minutes_all * 60, expected / minutes_all);
  std::printf("[figures] CPU per complaint (the four services): %.3f ms (%s)\n",
              absl::ToDoubleMilliseconds(cpu_total) / expected, cpu_each.c_str());
  return 0;
}
