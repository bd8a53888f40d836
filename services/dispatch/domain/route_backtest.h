#pragma once
// §3.1 learned routing, backtested: how the model's departments and teams
// compare with what test cases were finally handled by, beside the simple
// rules a centre would otherwise write — the most common department of all
// (majority class), by category and by channel, learnt from the same
// training cases — and the configured routing rules; which departments the
// model confuses; and the accuracy and coverage at each confidence
// threshold. Pure.

#include <string>
#include <vector>

#include "complaints/v1/dispatch.pb.h"
#include "services/dispatch/domain/route_learning.h"

namespace complaints::dispatch {

struct BacktestCase {
  LabeledCase truth;
  ModelAnswer model;
  std::string rules_department;  // what the configured rules would name
  // What plain fastText names (PlainFastText): the baseline learned routing must beat.
  std::string plain_department = {}, plain_team = {};
};

inline constexpr double kBacktestThresholds[] = {0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95};

v1::BacktestRoutingResponse Backtest(const std::vector<LabeledCase>& train,
                                     const std::vector<BacktestCase>& test);

}  // namespace complaints::dispatch
