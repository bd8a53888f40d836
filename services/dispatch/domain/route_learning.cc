#include "services/dispatch/domain/route_learning.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "libs/core/ids.h"
#include "libs/crypto/digest.h"

namespace complaints::dispatch {

bool Calibrates(const LabeledCase& labeled) { return StableHash(labeled.key) % 10 == 0; }

std::map<std::string, int> Labels(const std::vector<LabeledCase>& cases, bool team) {
  std::set<std::string> names;
  for (const LabeledCase& labeled : cases) {
    const std::string& name = team ? labeled.team : labeled.department;
    if (!name.empty()) names.insert(name);
  }
  std::map<std::string, int> labels;
  for (const std::string& name : names) labels.emplace(name, static_cast<int>(labels.size()));
  return labels;
}

std::vector<std::string> TeamDepartments(const std::vector<LabeledCase>& cases,
                                         const std::map<std::string, int>& teams) {
  std::map<std::string, std::map<std::string, int>> counts;
  for (const LabeledCase& labeled : cases) {
    if (!labeled.team.empty() && !Calibrates(labeled)) ++counts[labeled.team][labeled.department];
  }
  std::vector<std::string> out;
  for (const auto& [team, index] : teams) {
    std::string best;
    int most = 0;
    for (const auto& [department, n] : counts[team]) {
      if (n > most) best = department, most = n;
    }
    out.push_back(best);
  }
  return out;
}

std::string ContentVersion(const v1::StoredRoutingModel& stored) {
  v1::StoredRoutingModel content = stored;
  content.clear_model();
  return Sha256Hex(content.SerializeAsString()).substr(0, 16);
}

std::optional<LabeledCase> LabeledCaseOf(const v1::ComplaintView& view) {
  const v1::DispatchState& dispatch = view.dispatch();
  if (!view.tracking().handling().has_resolved_at() || dispatch.department().empty()) {
    return std::nullopt;
  }
  const v1::HistoricalCase& history = view.intake().history();
  return LabeledCase{view.intake().has_history()
                         ? absl::StrCat(history.source_system(), ":", history.source_id())
                         : view.complaint_id(),
                     RouteCaseOf(view), dispatch.department(),
                     dispatch.team().empty() ? dispatch.handler() : dispatch.team()};
}

}  // namespace complaints::dispatch
