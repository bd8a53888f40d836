#include "services/dispatch/domain/handler_picker.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"

namespace complaints::dispatch {
namespace {

int OpenOf(const Workload& workload, const std::string& handler) {
  auto it = workload.open.find(handler);
  return it == workload.open.end() ? 0 : it->second;
}

bool Free(const v1::Handler& handler, const Workload& workload) {
  return handler.capacity() == 0 || OpenOf(workload, handler.id()) < handler.capacity();
}

// The least loaded of `candidates`; the earlier in the pool wins a tie.
const v1::Handler* LeastLoaded(const std::vector<const v1::Handler*>& candidates,
                               const Workload& workload) {
  const v1::Handler* best = nullptr;
  for (const v1::Handler* handler : candidates) {
    if (best == nullptr || OpenOf(workload, handler->id()) < OpenOf(workload, best->id()))
      best = handler;
  }
  return best;
}

}  // namespace

Pick PickHandler(const v1::HandlerPool& pool, const std::string& category,
                 const Workload& workload) {
  std::vector<const v1::Handler*> free;
  for (const v1::Handler& handler : pool.handlers()) {
    if (Free(handler, workload)) free.push_back(&handler);
  }
  if (free.empty()) {
    return {"", absl::StrCat("all ", pool.handlers_size(), " handlers of ", pool.department(),
                             " are at capacity; the department assigns it")};
  }
  switch (pool.strategy()) {
    case v1::ASSIGNMENT_STRATEGY_ROUND_ROBIN: {
      auto turn = workload.turns.find(pool.department());
      const int64_t start = turn == workload.turns.end() ? 0 : turn->second;
      const int n = pool.handlers_size();
      for (int k = 0; k < n; ++k) {
        const v1::Handler& handler = pool.handlers(static_cast<int>((start + k) % n));
        if (Free(handler, workload)) return {handler.id(), "next in turn"};
      }
      break;
    }
    case v1::ASSIGNMENT_STRATEGY_SKILL_MATCH: {
      std::vector<const v1::Handler*> skilled;
      for (const v1::Handler* handler : free) {
        if (std::find(handler->skills().begin(), handler->skills().end(), category) !=
            handler->skills().end()) {
          skilled.push_back(handler);
        }
      }
      if (!skilled.empty()) {
        const v1::Handler* best = LeastLoaded(skilled, workload);
        return {best->id(),
                absl::StrCat("skilled in ", category, ", ", OpenOf(workload, best->id()), " open")};
      }
      const v1::Handler* best = LeastLoaded(free, workload);
      return {best->id(), absl::StrCat("nobody free is skilled in ", category, "; least loaded, ",
                                       OpenOf(workload, best->id()), " open")};
    }
    default:
      break;
  }
  const v1::Handler* best = LeastLoaded(free, workload);
  return {best->id(), absl::StrCat("least loaded, ", OpenOf(workload, best->id()), " open")};
}

}  // namespace complaints::dispatch
