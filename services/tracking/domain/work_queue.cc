#include "services/tracking/domain/work_queue.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"

namespace complaints::tracking {
namespace {

// Timer ids name the kind and level: ".../breach@...", ".../escalation/3@...".
void FoldFired(const std::string& timer_id, v1::WorkItem& item) {
  if (absl::StrContains(timer_id, "/breach@")) item.set_breached(true);
  const size_t at = timer_id.find("/escalation/");
  if (at == std::string::npos) return;
  const size_t from = at + sizeof("/escalation/") - 1;
  const size_t end = timer_id.find('@', from);
  int level = 0;
  if (end != std::string::npos && absl::SimpleAtoi(timer_id.substr(from, end - from), &level)) {
    item.set_escalation_level(std::max(item.escalation_level(), level));
  }
}

}  // namespace

std::optional<v1::WorkItem> WorkItemOf(const v1::ComplaintView& view) {
  const v1::TrackingState& tracking = view.tracking();
  if (tracking.handling().status() == v1::HANDLING_STATUS_UNSPECIFIED) return std::nullopt;
  v1::WorkItem item;
  item.set_complaint_id(view.complaint_id());
  item.set_status(tracking.handling().status());
  item.set_department(view.dispatch().department());
  item.set_handler(view.dispatch().handler());
  item.set_community(view.intake().location().community());
  item.set_category(view.intake().category());
  item.set_priority(view.intake().priority());
  if (tracking.has_respond_by()) *item.mutable_respond_by() = tracking.respond_by();
  if (tracking.has_resolve_by()) *item.mutable_resolve_by() = tracking.resolve_by();
  for (const std::string& fired : tracking.sla().fired_timer_ids()) FoldFired(fired, item);
  item.set_verdict(SlaVerdictOf(view));
  item.set_imported(Imported(view));
  if (item.imported()) {
    item.set_source_system(view.intake().history().source_system());
    item.set_source_id(view.intake().history().source_id());
  }
  const auto& pauses = tracking.sla().pauses();
  item.set_clock_paused(!pauses.empty() && !pauses.rbegin()->has_to());
  item.set_content(view.intake().content());
  item.set_incident_id(view.analytics().incident_id());
  return item;
}

bool Matches(const v1::WorkItem& item, const v1::ListComplaintsRequest& request, absl::Time now) {
  if (request.statuses().empty()) {
    if (item.status() != v1::HANDLING_STATUS_OPEN && item.status() != v1::HANDLING_STATUS_RESOLVED)
      return false;
  } else if (std::find(request.statuses().begin(), request.statuses().end(), item.status()) ==
             request.statuses().end()) {
    return false;
  }
  if (!request.department().empty() && item.department() != request.department()) return false;
  if (!request.handler().empty() && item.handler() != request.handler()) return false;
  if (!request.community().empty() && item.community() != request.community()) return false;
  if (!request.category().empty() && item.category() != request.category()) return false;
  if (!request.incident_id().empty() && item.incident_id() != request.incident_id()) return false;
  if (request.priority() != v1::PRIORITY_UNSPECIFIED && item.priority() != request.priority())
    return false;
  if (request.breached() && !item.breached()) return false;
  if (request.verdict() != v1::SLA_VERDICT_UNSPECIFIED && item.verdict() != request.verdict())
    return false;
  if (request.imported() && !item.imported()) return false;
  if (!request.source_id().empty() && item.source_id() != request.source_id()) return false;
  if (request.overdue() && (item.status() != v1::HANDLING_STATUS_OPEN || !item.has_resolve_by() ||
                            FromProto(item.resolve_by()) >= now)) {
    return false;
  }
  if (request.has_due_before() &&
      (!item.has_resolve_by() || FromProto(item.resolve_by()) >= FromProto(request.due_before()))) {
    return false;
  }
  return true;
}

}  // namespace complaints::tracking
