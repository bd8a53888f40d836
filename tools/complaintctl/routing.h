#pragma once
// complaintctl routing: dispatch's learned routing models (docs/routing.md) — train, list, activate
// (or roll back), turn off, backtest.

#include <string>

#include "complaints/v1/dispatch.pb.h"
#include "tools/complaintctl/commands.h"

namespace complaints::ctl {

struct RoutingArgs {
  std::string verb;     // train | models | activate | off | backtest
  std::string version;  // activate
  std::string until;    // train: opened before (default now); backtest: --train_until
  std::string from;     // backtest: --test_from (default: --train_until)
  bool activate = false;
};

int Routing(const CtlOptions& options, const RoutingArgs& args);

// The backtest's tables as text (also for the README and closing notes).
std::string FormatBacktest(const v1::BacktestRoutingResponse& response);

}  // namespace complaints::ctl
