// §3.1 / §5.1 incidents, measured: the detector replays a real background
// stream — 1,912 NYC 311 requests of 1–3 March 2011 with their created times
// (bench/data/README.md), grouped by complaint type × ZIP × address — with
// bursts injected at known times at real places, and prints how many bursts
// it flagged, how long after each burst's first complaint (arrival time of
// the complaint that tipped it, reports reaching the centre 0–10 min after
// the event), and its false alarms: incidents holding no injected complaint.
// Each group's background rate is its type × ZIP rate over the stream.
//
//   build/bench/incident_replay bench/data
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "services/analytics/domain/incidents.h"

namespace complaints::analytics {
namespace {

struct Row {
  Sighting sighting;
  absl::Time arrives;
  int burst = -1;  // the injected burst it belongs to
};

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  double Uniform() {  // [0, 1)
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) / static_cast<double>(1ULL << 53);
  }

 private:
  uint64_t state_;
};

std::vector<Row> LoadBackground(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> cells = absl::StrSplit(line, ',');
    absl::CivilSecond created;
    if (cells.size() != 4 || !absl::ParseCivilTime(cells[0], &created)) continue;
    Row row;
    row.sighting = {"N" + std::to_string(rows.size()),
                    absl::FromCivil(created, absl::UTCTimeZone()),
                    cells[1],
                    cells[2],
                    cells[3],
                    ""};
    rows.push_back(std::move(row));
  }
  return rows;
}

struct Scenario {
  const char* name;
  double per_hour;  // the burst's complaint rate
};

void Run(const std::vector<Row>& background, const Scenario& scenario, int bursts,
         const DetectorOptions& options) {
  Random random(42);
  std::vector<Row> rows = background;
  absl::Time first = absl::InfiniteFuture(), last = absl::InfinitePast();
  for (const Row& row : background) {
    first = std::min(first, row.sighting.occurred_at);
    last = std::max(last, row.sighting.occurred_at);
  }
  const double span_hours = absl::ToDoubleHours(last - first);
  std::map<std::string, double> rate;  // type × ZIP, per hour
  for (const Row& row : background) {
    rate[row.sighting.category + "|" + row.sighting.community] += 1 / span_hours;
  }
  std::vector<const Row*> places;
  for (const Row& row : background) {
    if (!row.sighting.building.empty()) places.push_back(&row);
  }
  std::vector<absl::Time> starts;
  for (int b = 0; b < bursts; ++b) {
    const Row& place = *places[static_cast<size_t>(random.Uniform() * places.size())];
    absl::Time at =
        first + absl::Hours(1) +
        absl::Seconds(random.Uniform() * absl::ToDoubleSeconds(last - first - absl::Hours(4)));
    starts.push_back(at);
    const int size = 4 + static_cast<int>(random.Uniform() * 9);  // 4–12 calls
    for (int k = 0; k < size; ++k) {
      Row row;
      row.sighting = place.sighting;
      row.sighting.complaint_id = "B" + std::to_string(b) + "-" + std::to_string(k);
      row.sighting.occurred_at = at;
      row.burst = b;
      rows.push_back(row);
      at += absl::Seconds(-std::log(1 - random.Uniform()) * 3600 / scenario.per_hour);
    }
  }
  for (Row& row : rows)
    row.arrives = row.sighting.occurred_at + absl::Seconds(random.Uniform() * 600);
  // The best a rule needing `min_complaints` reports can do: the burst's
  // min_complaints-th report reached the centre within an hour of its start.
  std::map<int, std::vector<absl::Time>> arrivals;
  for (const Row& row : rows) {
    if (row.burst >= 0) arrivals[row.burst].push_back(row.arrives);
  }
  int reachable = 0;
  for (auto& [b, times] : arrivals) {
    std::sort(times.begin(), times.end());
    const size_t k = static_cast<size_t>(options.min_complaints);
    reachable +=
        times.size() >= k && times[k - 1] - starts[static_cast<size_t>(b)] <= absl::Hours(1);
  }
  std::sort(rows.begin(), rows.end(),
            [](const Row& a, const Row& b) { return a.arrives < b.arrives; });

  std::map<std::string, v1::IncidentGroupState> groups;
  std::map<std::string, int> burst_of;  // complaint id -> burst
  for (const Row& row : rows) burst_of[row.sighting.complaint_id] = row.burst;
  std::map<int, double> delay_minutes;  // burst -> first detection
  std::vector<std::string> false_alarms;
  for (const Row& row : rows) {
    const std::string key = GroupKey(row.sighting);
    if (key.empty()) continue;
    const IncidentDecision d =
        Observe(groups[key], row.sighting,
                rate[row.sighting.category + "|" + row.sighting.community], options);
    if (d.kind == IncidentDecision::Kind::kNone) continue;
    // A burst at a place with an open incident (another burst there) joins it: flagged too.
    std::set<int> found;
    for (const std::string& id : d.complaint_ids) {
      if (burst_of[id] >= 0) found.insert(burst_of[id]);
    }
    if (found.empty() && d.kind == IncidentDecision::Kind::kDetected) {
      false_alarms.push_back(row.sighting.category + " at " + row.sighting.building + " " +
                             row.sighting.community + " (" + std::to_string(d.size) +
                             " complaints)");
    }
    for (int b : found) {
      if (delay_minutes.count(b) == 0) {
        delay_minutes[b] = absl::ToDoubleMinutes(row.arrives - starts[static_cast<size_t>(b)]);
      }
    }
  }
  std::vector<double> delays;
  for (const auto& [b, minutes] : delay_minutes) delays.push_back(minutes);
  std::sort(delays.begin(), delays.end());
  auto at = [&](double q) {
    return delays.empty() ? 0.0 : delays[static_cast<size_t>(q * (delays.size() - 1))];
  };
  const int within_hour = static_cast<int>(
      std::count_if(delays.begin(), delays.end(), [](double d) { return d <= 60; }));
  std::printf(
      "%-26s bursts %3d  flagged %3zu  within 1 h %3d (of %3d whose reports allow it)  "
      "delay min p50 %5.1f  p90 %5.1f  max %5.1f"
      "  false alarms %zu (%.2f per 1,000 background complaints)\n",
      scenario.name, bursts, delays.size(), within_hour, reachable, at(0.5), at(0.9),
      delays.empty() ? 0.0 : delays.back(), false_alarms.size(),
      1000.0 * false_alarms.size() / background.size());
  for (const std::string& alarm : false_alarms) std::printf("    false alarm: %s\n", alarm.c_str());
}

}  // namespace
}  // namespace complaints::analytics

int main(int argc, char** argv) {
  using namespace complaints::analytics;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
    return 2;
  }
  const std::vector<Row> background =
      LoadBackground(std::string(argv[1]) + "/nyc311-2011-03-timed.csv");
  if (background.empty()) return 1;
  size_t placed = 0;
  for (const Row& row : background) placed += GroupKey(row.sighting).empty() ? 0 : 1;
  std::printf(
      "background: %zu complaints, %zu with an address to group by; bursts at real "
      "addresses, 4-12 calls each\n",
      background.size(), placed);
  DetectorOptions shipped;
  DetectorOptions pairs;
  pairs.min_complaints = 2;
  pairs.max_p_value = 1e-4;
  DetectorOptions strict;
  strict.max_p_value = 1e-3;
  for (const auto& [name, options] :
       {std::pair{"shipped: >= 3 in an hour, p <= 1e-2", shipped},
        std::pair{"alternative: >= 3 in an hour, p <= 1e-3", strict},
        std::pair{"alternative: >= 2 in an hour, p <= 1e-4", pairs}}) {
    std::printf("\ndetector %s, join gap 6 h\n", name);
    Run(background, {"background only", 10}, 0, options);
    for (const Scenario& s :
         {Scenario{"burst of 10 calls an hour", 10}, Scenario{"burst of 4 calls an hour", 4},
          Scenario{"burst of 2 calls an hour", 2}}) {
      Run(background, s, 50, options);
    }
  }
  return 0;
}
