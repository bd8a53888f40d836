// §3.1 learned routing, measured on the shared histories: the department and
// the team the model names, against a plain fastText classifier of the team
// (fastText's default settings, one thread, the same training cases, reading
// the matter's words, category, community and channel: the feature line
// without the place tokens, which only lowered its score) and the majority
// by category. The rows come through
// complaintctl's own import mapping (tools/complaintctl/mappings), the split
// is by opening time as in tests/history_import_test.cc, and only cases with
// a department and a closure teach or are scored, as in dispatch.
//
//   build/bench/routing_team_bench SOURCE_DIR
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/text_format.h"
#include "libs/core/clock.h"
#include "libs/core/time_util.h"
#include "services/dispatch/app/fasttext_route_model.h"
#include "tools/complaintctl/history/row_mapper.h"
#include "tools/complaintctl/history/row_source.h"

namespace complaints::dispatch {
namespace {

struct History {
  const char* name;
  const char* mapping;  // under tools/complaintctl/mappings
  const char* csv;      // under tests/data/history
  const char* cut;      // cases opened before it teach, the rest are scored
};

constexpr History kHistories[] = {
    {"NYC 311 (team: agency name)", "nyc311.textproto", "nyc311-2011-03-sample.csv",
     "2011-03-02T12:00:00-05:00"},
    {"CFPB (team: issue)", "cfpb.textproto", "cfpb-narratives.csv", "2019-05-01T00:00:00-04:00"},
};

struct Dated {
  LabeledCase labeled;
  absl::Time opened;
};

bool Read(const std::string& source, const History& history, std::vector<Dated>* out) {
  std::ifstream file(source + "/tools/complaintctl/mappings/" + history.mapping);
  std::stringstream text;
  text << file.rdbuf();
  v1::HistoryMapping mapping;
  if (!google::protobuf::TextFormat::ParseFromString(text.str(), &mapping)) return false;
  absl::StatusOr<ctl::RowMapper> mapper = ctl::RowMapper::Create(mapping);
  if (!mapper.ok()) return false;
  absl::StatusOr<std::unique_ptr<ctl::RowSource>> rows =
      ctl::OpenRows(source + "/tests/data/history/" + history.csv, mapper->columns());
  if (!rows.ok()) return false;
  ctl::SourceRow row;
  while ((*rows)->Next(&row)) {
    auto mapped = mapper->Map(row.values);
    if (!std::holds_alternative<ctl::MappedRow>(mapped)) continue;
    const v1::ImportCaseRequest& request = std::get<ctl::MappedRow>(mapped).request;
    const v1::HistoricalCase& h = request.history();
    if (!h.closed() || h.department().empty()) continue;
    RouteCase features{request.content(), request.category(), request.location().community(),
                       request.channel()};
    features.area = request.location().public_area();
    out->push_back(
        {LabeledCase{absl::StrCat(h.source_system(), ":", h.source_id()), std::move(features),
                     h.department(), h.team().empty() ? h.handler() : h.team()},
         FromProto(h.opened_at())});
  }
  return true;
}

std::string MajorityByCategory(const std::vector<LabeledCase>& train, const std::string& category) {
  std::map<std::string, std::map<std::string, int>> counts;
  for (const LabeledCase& c : train) ++counts[c.features.category][c.team];
  auto it = counts.find(category);
  if (it == counts.end()) it = counts.find("");
  std::string best;
  int most = 0;
  if (it == counts.end()) return best;
  for (const auto& [team, n] : it->second) {
    if (n > most) best = team, most = n;
  }
  return best;
}

int Run(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SOURCE_DIR\n", argv[0]);
    return 2;
  }
  const std::string source = argv[1];
  char scratch_template[] = "/tmp/routing-team-XXXXXX";
  const std::string scratch = mkdtemp(scratch_template);
  std::printf("%-30s %6s %6s | %-9s %-9s | %-9s %-9s %-9s %s\n", "history", "train", "test", "dept",
              "dept", "team", "team", "team", "");
  std::printf("%-30s %6s %6s | %-9s %-9s | %-9s %-9s %-9s %s\n", "", "", "", "model", "majority",
              "model", "fastText", "majority", "model - fastText");
  for (const History& history : kHistories) {
    std::vector<Dated> cases;
    absl::Time cut;
    std::string error;
    if (!Read(source, history, &cases) ||
        !absl::ParseTime(absl::RFC3339_full, history.cut, &cut, &error)) {
      std::fprintf(stderr, "%s: cannot read\n", history.name);
      return 1;
    }
    std::vector<LabeledCase> train, test;
    for (const Dated& d : cases) (d.opened < cut ? train : test).push_back(d.labeled);
    absl::StatusOr<std::shared_ptr<const RouteModel>> model =
        RouteModel::Train(train, TrainOptions{.scratch_dir = scratch}, complaints::WallNow(), cut);
    if (!model.ok()) {
      std::fprintf(stderr, "%s: %s\n", history.name, model.status().ToString().c_str());
      return 1;
    }
    absl::StatusOr<PlainAnswers> plain = PlainFastText(train, test, scratch);
    if (!plain.ok()) {
      std::fprintf(stderr, "%s: %s\n", history.name, plain.status().ToString().c_str());
      return 1;
    }
    int dept_model = 0, dept_majority = 0, team_model = 0, team_plain = 0, team_majority = 0,
        teams = 0;
    std::map<std::string, std::map<std::string, int>> dept_by_category;
    for (const LabeledCase& c : train) ++dept_by_category[c.features.category][c.department];
    for (size_t i = 0; i < test.size(); ++i) {
      const LabeledCase& c = test[i];
      const ModelAnswer answer = (*model)->Predict(c.features);
      dept_model += answer.department == c.department;
      std::string majority;
      int most = 0;
      for (const auto& [d, n] : dept_by_category[c.features.category]) {
        if (n > most) majority = d, most = n;
      }
      dept_majority += majority == c.department;
      if (c.team.empty()) continue;
      ++teams;
      team_model += answer.team == c.team;
      team_plain += plain->teams[i] == c.team;
      team_majority += MajorityByCategory(train, c.features.category) == c.team;
    }
    const double n = static_cast<double>(test.size()), t = teams;
    std::printf("%-30s %6zu %6zu | %8.1f%% %8.1f%% | %8.1f%% %8.1f%% %8.1f%% %+.1f points\n",
                history.name, train.size(), test.size(), 100 * dept_model / n,
                100 * dept_majority / n, 100 * team_model / t, 100 * team_plain / t,
                100 * team_majority / t, 100 * (team_model - team_plain) / t);
  }
  std::remove(scratch.c_str());
  return 0;
}

}  // namespace
}  // namespace complaints::dispatch

int main(int argc, char** argv) { return complaints::dispatch::Run(argc, argv); }
