#pragma once
// §3.1 learned routing, the pure part: what a closed case teaches, what a
// model answers, which cases calibrate, the labels and each team's
// department, and a model's content version. The classifiers that learn
// from these (fastText) are in the shell: app/fasttext_route_model.h.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "complaints/v1/dispatch.pb.h"
#include "complaints/v1/state.pb.h"
#include "services/dispatch/domain/route_features.h"

namespace complaints::dispatch {

// One closed case to learn from: what it said and who finally handled it.
struct LabeledCase {
  std::string key;  // the complaint id: decides which cases calibrate
  RouteCase features;
  std::string department;
  std::string team;  // the team, else the handler; empty: not known
};

// What a closed case teaches: its features, the department that resolved it
// (after any transfers) and its team, else its handler; keyed by source
// system and id when imported (the same history, the same keys), else by
// complaint id. Nothing while it is unresolved.
std::optional<LabeledCase> LabeledCaseOf(const v1::ComplaintView& view);

// What a model says about one complaint.
struct ModelAnswer {
  std::string version;
  std::string department;
  double confidence = 0;  // calibrated
  std::string team;       // empty when the model knows no teams
  double team_confidence = 0;
};

// The tenth of the cases, by a stable hash of their key, that calibrates the
// classifiers' confidences instead of training them: the same cases always.
bool Calibrates(const LabeledCase& labeled);

// The department names (or, with `team`, the team names) of `cases` in
// sorted order, each with its index.
std::map<std::string, int> Labels(const std::vector<LabeledCase>& cases, bool team);

// For each team in label order, the department its training cases were
// resolved in most (ties to the first department by name).
std::vector<std::string> TeamDepartments(const std::vector<LabeledCase>& cases,
                                         const std::map<std::string, int>& teams);

// A model is named by what decides its answers: both classifiers, their
// labels and calibration (not its metadata), so a damaged one is known before
// it is read.
std::string ContentVersion(const v1::StoredRoutingModel& stored);

}  // namespace complaints::dispatch
