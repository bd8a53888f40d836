#pragma once
// §3.1 choosing the person within a department: round robin, least loaded
// (from the open-work projection the shell keeps) or skill match. Handlers at
// capacity are passed over. Pure.

#include <map>
#include <string>

#include "complaints/v1/config.pb.h"

namespace complaints::dispatch {

// The open-work projection: open complaints per handler, and each
// department's round-robin turn counter.
struct Workload {
  std::map<std::string, int> open;
  std::map<std::string, int64_t> turns;
};

struct Pick {
  std::string handler;  // empty when every handler is at capacity
  std::string reason;
};

Pick PickHandler(const v1::HandlerPool& pool, const std::string& category,
                 const Workload& workload);

}  // namespace complaints::dispatch
