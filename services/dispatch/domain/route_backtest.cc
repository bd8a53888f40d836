#include "services/dispatch/domain/route_backtest.h"

#include <algorithm>
#include <functional>
#include <map>

namespace complaints::dispatch {
namespace {

// The most common value of `label` per key of `key` among `cases`, ties to
// the first in order; "" under a key never seen.
class Majority {
 public:
  Majority(const std::vector<LabeledCase>& cases,
           const std::function<std::string(const LabeledCase&)>& key,
           const std::function<std::string(const LabeledCase&)>& label)
      : key_(key) {
    std::map<std::string, std::map<std::string, int>> counts;
    for (const LabeledCase& labeled : cases) {
      const std::string value = label(labeled);
      if (!value.empty()) ++counts[key(labeled)][value];
    }
    for (const auto& [group, values] : counts) {
      best_[group] =
          std::max_element(values.begin(), values.end(), [](const auto& a, const auto& b) {
            return a.second < b.second;
          })->first;
    }
  }
  std::string Of(const LabeledCase& labeled) const {
    auto it = best_.find(key_(labeled));
    return it == best_.end() ? "" : it->second;
  }

 private:
  std::function<std::string(const LabeledCase&)> key_;
  std::map<std::string, std::string> best_;
};

struct Score {
  int right = 0, cases = 0;
  double Rate() const { return cases == 0 ? 0 : static_cast<double>(right) / cases; }
};

}  // namespace

v1::BacktestRoutingResponse Backtest(const std::vector<LabeledCase>& train,
                                     const std::vector<BacktestCase>& test) {
  v1::BacktestRoutingResponse response;
  response.set_train_cases(static_cast<int32_t>(train.size()));
  response.set_test_cases(static_cast<int32_t>(test.size()));
  const auto department = [](const LabeledCase& c) { return c.department; };
  const auto team = [](const LabeledCase& c) { return c.team; };
  const auto all = [](const LabeledCase&) { return std::string(); };
  const auto category = [](const LabeledCase& c) { return c.features.category; };
  const auto channel = [](const LabeledCase& c) { return v1::Channel_Name(c.features.channel); };
  struct Method {
    std::string name;
    std::function<std::string(const BacktestCase&)> department, team;
  };
  const Majority overall(train, all, department), overall_team(train, all, team);
  // An unseen category or channel falls back on the majority class.
  const Majority by_category(train, category, department), by_category_team(train, category, team);
  const Majority by_channel(train, channel, department), by_channel_team(train, channel, team);
  auto or_overall = [](const std::string& value, const std::string& fallback) {
    return value.empty() ? fallback : value;
  };
  const std::vector<Method> methods = {
      {"model", [](const BacktestCase& c) { return c.model.department; },
       [](const BacktestCase& c) { return c.model.team; }},
      {"plain fastText", [](const BacktestCase& c) { return c.plain_department; },
       [](const BacktestCase& c) { return c.plain_team; }},
      {"majority class", [&](const BacktestCase& c) { return overall.Of(c.truth); },
       [&](const BacktestCase& c) { return overall_team.Of(c.truth); }},
      {"majority by category",
       [&](const BacktestCase& c) {
         return or_overall(by_category.Of(c.truth), overall.Of(c.truth));
       },
       [&](const BacktestCase& c) {
         return or_overall(by_category_team.Of(c.truth), overall_team.Of(c.truth));
       }},
      {"majority by channel",
       [&](const BacktestCase& c) {
         return or_overall(by_channel.Of(c.truth), overall.Of(c.truth));
       },
       [&](const BacktestCase& c) {
         return or_overall(by_channel_team.Of(c.truth), overall_team.Of(c.truth));
       }},
      {"configured rules", [](const BacktestCase& c) { return c.rules_department; },
       [](const BacktestCase&) { return std::string(); }},
  };
  for (const Method& method : methods) {
    Score departments, teams;
    for (const BacktestCase& c : test) {
      ++departments.cases;
      departments.right += method.department(c) == c.truth.department;
      if (c.truth.team.empty()) continue;
      ++teams.cases;
      teams.right += method.team(c) == c.truth.team;
    }
    v1::RouteAccuracy& accuracy = *response.add_methods();
    accuracy.set_method(method.name);
    accuracy.set_department(departments.Rate());
    accuracy.set_team(teams.Rate());
  }

  std::map<std::string, v1::DepartmentConfusion> confusion;
  std::map<std::string, std::map<std::string, int>> instead;
  for (const BacktestCase& c : test) {
    v1::DepartmentConfusion& row = confusion[c.truth.department];
    row.set_department(c.truth.department);
    row.set_cases(row.cases() + 1);
    if (c.model.department == c.truth.department) {
      row.set_correct(row.correct() + 1);
    } else {
      ++instead[c.truth.department][c.model.department];
    }
  }
  std::vector<v1::DepartmentConfusion> rows;
  for (auto& [name, row] : confusion) {
    for (const auto& [other, count] : instead[name]) {
      if (count > row.confused()) {
        row.set_confused_with(other);
        row.set_confused(count);
      }
    }
    rows.push_back(row);
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.cases() > b.cases(); });
  for (v1::DepartmentConfusion& row : rows) *response.add_confusion() = std::move(row);

  for (double threshold : kBacktestThresholds) {
    Score covered;
    for (const BacktestCase& c : test) {
      if (c.model.confidence < threshold) continue;
      ++covered.cases;
      covered.right += c.model.department == c.truth.department;
    }
    v1::ThresholdPoint& point = *response.add_thresholds();
    point.set_threshold(threshold);
    point.set_coverage(test.empty() ? 0 : static_cast<double>(covered.cases) / test.size());
    point.set_accuracy(covered.Rate());
  }
  return response;
}

}  // namespace complaints::dispatch
