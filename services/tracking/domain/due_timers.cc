#include "services/tracking/domain/due_timers.h"

#include <algorithm>

#include "libs/complaint/scheduled_timers.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
#include "services/tracking/domain/sla_plan.h"

namespace complaints::tracking {
namespace {

// A plan's timers (warning, breach and escalations of two targets) and the
// status report.
constexpr size_t kUsualTimers = 20;

// Whether the view runs deadline timers at all: the case is not one closed
// in the previous system (§4.2: archived, checked and reported on there,
// nothing about it is timed here), it is open, and its clock is not paused.
// What else they are computed from: the plan's timers, the fired ones and
// whether the receiver accepted (the first response's are met then).
bool RunsDeadlineTimers(const v1::ComplaintView& view) {
  const v1::TrackingState& tracking = view.tracking();
  const v1::SlaState& sla = tracking.sla();
  const bool paused = !sla.pauses().empty() && !sla.pauses().rbegin()->has_to();
  return !ImportedClosed(view) && tracking.handling().status() == v1::HANDLING_STATUS_OPEN &&
         !paused;
}

// A timer of the first-response target: met once the receiver accepted, so
// the decider (SlaDecider, FireTimer) decides nothing for it after that.
bool RespondTimer(absl::string_view timer_id) {
  TimerId id;
  return ParseTimerId(timer_id, &id) && id.target == v1::SLA_TARGET_RESPOND;
}

}  // namespace

bool SameDeadlineTimers(const v1::ComplaintView& a, const v1::ComplaintView& b) {
  const bool runs = RunsDeadlineTimers(a);
  if (runs != RunsDeadlineTimers(b)) return false;
  if (!runs) return true;  // none in either
  const v1::SlaState& sla_a = a.tracking().sla();
  const v1::SlaState& sla_b = b.tracking().sla();
  // An earlier release's unpacked plan: not worth comparing.
  if (!sla_a.scheduled().empty() || !sla_b.scheduled().empty()) return false;
  if (sla_a.scheduled_timers() != sla_b.scheduled_timers()) return false;
  if (a.dispatch().has_first_accepted_at() != b.dispatch().has_first_accepted_at()) return false;
  const auto& fired_a = sla_a.fired_timer_ids();
  const auto& fired_b = sla_b.fired_timer_ids();
  return std::equal(fired_a.begin(), fired_a.end(), fired_b.begin(), fired_b.end());
}

std::vector<DueTimer> DueTimers(const v1::ComplaintView& view, const v1::HandlingPolicy& policy,
                                TimerSet set) {
  std::vector<DueTimer> timers;
  if (ImportedClosed(view)) return timers;  // §4.2, as RunsDeadlineTimers says
  const v1::TrackingState& tracking = view.tracking();
  const v1::HandlingState& handling = tracking.handling();
  const v1::SlaState& sla = tracking.sla();
  timers.reserve(kUsualTimers);
  switch (handling.status()) {
    case v1::HANDLING_STATUS_OPEN:
      if (set == TimerSet::kAll && RunsDeadlineTimers(view)) {
        const auto& fired = sla.fired_timer_ids();
        const bool responded = view.dispatch().has_first_accepted_at();
        ForEachScheduled(sla, [&](const ScheduledRef& timer) {
          if (std::find(fired.begin(), fired.end(), timer.timer_id) == fired.end() &&
              !(responded && RespondTimer(timer.timer_id))) {
            timers.push_back({timer.fire_at, timer.timer_id});
          }
          return true;
        });
      }
      [[fallthrough]];
    case v1::HANDLING_STATUS_RESOLVED: {
      // The silence counts from receipt: unknown until intake's events are in.
      if (!view.intake().received()) break;
      absl::Time last_news = FromProto(ClockStart(view));
      if (handling.has_last_news_at()) {
        last_news = std::max(last_news, FromProto(handling.last_news_at()));
      }
      timers.push_back(
          {last_news + absl::Hours(policy.status_report_after_hours()), kStatusReportTimer});
      break;
    }
    case v1::HANDLING_STATUS_CLOSED:
      timers.push_back(
          {FromProto(handling.closed_at()) + absl::Hours(24 * policy.archive_after_days()),
           kArchiveTimer});
      if (handling.satisfaction() > 0 && !handling.long_term_checked() &&
          !handling.long_term_check_due()) {
        timers.push_back({FromProto(handling.closed_at()) +
                              absl::Hours(24 * policy.long_term_check_after_days()),
                          kLongTermCheckTimer});
      }
      break;
    default:
      break;
  }
  return timers;
}

}  // namespace complaints::tracking
