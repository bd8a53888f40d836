// History import through the whole platform: N cases (default 50,000) made
// from the NYC 311 sample (tests/data/history) — each row repeated under
// new Unique Keys, days shifted back a week per round — imported with
// `complaintctl import-history` into the broker and the four services as
// processes, then waited for until analytics counted every case and
// tracking closed every closed one (the whole pipeline caught up). Prints
// cases per minute for both, and complaintctl's peak memory. Target: at
// least 20,000 cases per minute caught up on 2 cores.
//   scripts/history_import_bench.sh [cases]
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "libs/core/config.h"
#include "libs/testing/process.h"
#include "tests/scenario.h"

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

// Writes `cases` rows: the sample's, round after round, each round's keys
// suffixed with its number and its created and closed times a week earlier
// than the round before.
void WriteCases(const std::string& path, int64_t cases) {
  std::ifstream in(SourceDir() + "/tests/data/history/nyc311-2011-03-sample.csv");
  std::string header;
  std::getline(in, header);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::ofstream out(path);
  out << header << "\n";
  for (int64_t i = 0; i < cases; ++i) {
    const std::string& line = lines[static_cast<size_t>(i) % lines.size()];
    const int round = static_cast<int>(i / static_cast<int64_t>(lines.size()));
    // Unique Key, Created Date and Closed Date are the first three columns,
    // never quoted: splitting and joining on commas leaves the rest as it is.
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    fields[0] = absl::StrCat(fields[0], "-", round);
    fields[1] = WeeksBack(fields[1], round);
    fields[2] = WeeksBack(fields[2], round);
    out << absl::StrJoin(fields, ",") << "\n";
  }
}

// The count after "imported " in the import's summary; -1 when absent.
int64_t ImportedIn(const std::string& summary) {
  const size_t at = summary.find(": imported ");
  if (at == std::string::npos) return -1;
  return std::atoll(summary.c_str() + at + sizeof(": imported ") - 1);
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t cases = argc > 1 ? std::atoll(argv[1]) : 50'000;
  Cluster cluster;
  if (!cluster.Start()) return 2;
  TempDir dir;
  const std::string file = dir.Sub("history.csv");
  WriteCases(file, cases);
  const TlsFiles files = TestPki::Shared().Files("ops/oncall");
  const std::string log = dir.Sub("import.log");
  const absl::Time started = absl::Now();
  const int code = RunCommand(
      {BinaryDir() + "/tools/complaintctl/complaintctl",
       "--intake=" + cluster.address(Service::kIntake), "--cert=" + files.cert,
       "--key_file=" + files.key, "--ca=" + files.ca, "import-history",
       "--mapping=" + SourceDir() + "/tools/complaintctl/mappings/nyc311.textproto", file},
      log);
  const absl::Time sent = absl::Now();
  const std::string summary = ReadFile(log).value_or("");
  std::printf("%s", summary.c_str());
  const int64_t expected = ImportedIn(summary);
  if (code > 1 || expected < 0) return 1;
  if (!WaitUntilCounted(cluster, expected, absl::Minutes(30))) {
    std::printf("analytics did not count %lld cases within 30 minutes\n",
                static_cast<long long>(expected));
    return 1;
  }
  const absl::Time caught_up = absl::Now();
  const double minutes_sent = absl::ToDoubleMinutes(sent - started);
  const double minutes_all = absl::ToDoubleMinutes(caught_up - started);
  std::printf(
      "[figures] history import: %lld cases; sent in %.1f s (%.0f cases/min); whole pipeline "
      "caught up (analytics counted all) after %.1f s (%.0f cases/min)\n",
      static_cast<long long>(expected), minutes_sent * 60, expected / minutes_sent,
      minutes_all * 60, expected / minutes_all);
  return 0;
}
