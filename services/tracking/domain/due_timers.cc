#include "services/tracking/domain/due_timers.h"

#include <algorithm>

#include "libs/complaint/scheduled_timers.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"

namespace complaints::tracking {
namespace {

// A plan's timers (warning, breach and escalations of two targets) and the
// status report.
constexpr size_t kUsualTimers = 20;

}  // namespace

std::vector<DueTimer> DueTimers(const v1::ComplaintView& view, const v1::HandlingPolicy& policy) {
  std::vector<DueTimer> timers;
  // §4.2 a case closed in the previous system was archived, checked and
  // reported on there: nothing about it is timed here.
  if (ImportedClosed(view)) return timers;
  const v1::TrackingState& tracking = view.tracking();
  const v1::HandlingState& handling = tracking.handling();
  const v1::SlaState& sla = tracking.sla();
  const bool paused = !sla.pauses().empty() && !sla.pauses().rbegin()->has_to();
  timers.reserve(kUsualTimers);
  switch (handling.status()) {
    case v1::HANDLING_STATUS_OPEN:
      if (!paused) {
        const auto& fired = sla.fired_timer_ids();
        ForEachScheduled(sla, [&](const ScheduledRef& timer) {
          if (std::find(fired.begin(), fired.end(), timer.timer_id) == fired.end()) {
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
