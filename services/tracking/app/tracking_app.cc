#include "services/tracking/app/tracking_app.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/complaint/as_of.h"
#include "libs/complaint/scheduled_timers.h"
#include "libs/complaint/view.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "libs/runner/consumption.h"
#include "libs/runner/paging.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/topics.h"

namespace complaints::tracking {

absl::StatusOr<std::unique_ptr<TrackingApp>> TrackingApp::Create(TrackingAppOptions options) {
  ASSIGN_OR_RETURN(HandlingDecider handling,
                   HandlingDecider::Create(options.handling, options.sla, options.calendar));
  return std::unique_ptr<TrackingApp>(new TrackingApp(std::move(options), std::move(handling)));
}

TrackingApp::TrackingApp(TrackingAppOptions options, HandlingDecider handling)
    : options_(std::move(options)),
      decider_(options_.sla, options_.calendar),
      handling_(std::move(handling)),
      history_(options_.handling),
      backlog_rules_(*BacklogRulesOf(options_.handling.backlog())),
      spec_parts_{.store = options_.parts.store,
                  .sla = &decider_,
                  .handling = &handling_,
                  .history = &history_,
                  .policy = &options_.handling,
                  .backlog = &backlog_rules_,
                  .notifier = options_.notifier},
      runner_(TrackingSpec(spec_parts_), options_.parts, options_.key_retention) {}

absl::StatusOr<size_t> TrackingApp::FireDueTimers(size_t limit) {
  if (!firing_.load()) return 0;
  const absl::Time now = options_.parts.clock->Now();
  // Firing an entry indexes its complaint's next timer, which may be due
  // too: read the index again until nothing is due or `limit` fired.
  size_t fired = 0;
  while (fired < limit) {
    ASSIGN_OR_RETURN(const std::vector<DueEntry> due,
                     DueEntries(options_.parts.store, now, limit - fired));
    if (due.empty()) break;
    for (const DueEntry& entry : due) {
      const Act act{.complaint_id = entry.complaint_id,
                    .role = "timer",
                    .causation_id = absl::StrCat("timer:", entry.timer, "@",
                                                 absl::ToUnixMicros(entry.fire_at))};
      RETURN_IF_ERROR(runner_.Run(act, TimerDecision(spec_parts_, entry)).status());
    }
    fired += due.size();
  }
  ASSIGN_OR_RETURN(const size_t summaries,
                   SendBacklogSummaries(options_.parts.store, options_.parts.outbox,
                                        options_.parts.gate, options_.notifier, now));
  return fired + summaries;
}

ScheduledQueue TrackingApp::TimerQueue() const {
  return TimerSchedule(options_.parts.store->partitions());
}

absl::StatusOr<v1::GetComplaintResponse> TrackingApp::GetComplaint(
    const v1::GetComplaintRequest& request) const {
  const std::string& complaint_id = request.complaint_id();
  if (complaint_id.empty()) return absl::InvalidArgumentError("complaint_id: required");
  if (complaint_id.size() > kMaxComplaintIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("complaint_id: longer than ", kMaxComplaintIdBytes, " bytes"));
  }
  ASSIGN_OR_RETURN(const size_t page_size,
                   CheckPageSize("page_size", request.page_size(), {500, 1000}));
  const int partitions = options_.parts.store->partitions();
  const std::string prefix = TimelinePrefix(complaint_id, partitions);
  ASSIGN_OR_RETURN(const std::string begin, ResumeKey(request.page_token(), prefix, prefix));
  // Timeline keys sort by recorded time: "as of T" ends just after T.
  std::string end;
  absl::Time as_of = absl::InfiniteFuture();
  if (request.has_as_of()) {
    const google::protobuf::Timestamp& at = request.as_of();
    if (at.seconds() < 0 || at.seconds() > kMaxTimestampSeconds || at.nanos() < 0 ||
        at.nanos() > 999'999'999) {
      return absl::InvalidArgumentError("as_of: not a time between 1970 and 9999");
    }
    as_of = FromProto(at);
    end = absl::StrCat(prefix,
                       EncodeOrderedKey(static_cast<uint64_t>(absl::ToUnixMicros(as_of)) + 1));
  }
  v1::GetComplaintResponse timeline;
  if (request.has_as_of()) {
    ASSIGN_OR_RETURN(std::vector<v1::Envelope> known, Events(complaint_id, prefix, end));
    if (known.empty()) {
      return absl::NotFoundError(absl::StrCat("complaint ", EscapedPrefix(complaint_id),
                                              " was not known to tracking at ",
                                              absl::FormatTime(as_of)));
    }
    *timeline.mutable_view() = ViewAsOf(known, as_of);
  } else {
    ASSIGN_OR_RETURN(
        std::optional<std::string> stored,
        options_.parts.store->Get(Family::kState, ComplaintKey(complaint_id, partitions)));
    if (!stored.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("complaint ", EscapedPrefix(complaint_id), " is not known to tracking"));
    }
    if (!timeline.mutable_view()->ParseFromString(*stored)) {
      return absl::DataLossError(absl::StrCat("stored view of ", complaint_id, " is corrupt"));
    }
  }
  std::string last_key;
  absl::Status corrupt = absl::OkStatus();
  RETURN_IF_ERROR(options_.parts.store->Scan(
      Family::kTimeline, begin, end, page_size + 1,
      [&](absl::string_view key, absl::string_view value) {
        if (!absl::StartsWith(key, prefix)) return false;
        if (static_cast<size_t>(timeline.events_size()) == page_size) {
          timeline.set_next_page_token(PageToken(last_key));
          return false;
        }
        last_key = std::string(key);
        if (!timeline.add_events()->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = absl::DataLossError(absl::StrCat("an event of ", complaint_id, " is corrupt"));
          return false;
        }
        return true;
      }));
  RETURN_IF_ERROR(corrupt);
  UnpackScheduled(*timeline.mutable_view());
  return timeline;
}

absl::StatusOr<std::vector<v1::Envelope>> TrackingApp::Events(const std::string& complaint_id,
                                                              const std::string& prefix,
                                                              const std::string& end) const {
  std::vector<v1::Envelope> events;
  absl::Status corrupt = absl::OkStatus();
  RETURN_IF_ERROR(options_.parts.store->Scan(
      Family::kTimeline, prefix, end, SIZE_MAX,
      [&](absl::string_view key, absl::string_view value) {
        if (!absl::StartsWith(key, prefix)) return false;
        if (!events.emplace_back().ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = absl::DataLossError(absl::StrCat("an event of ", complaint_id, " is corrupt"));
          return false;
        }
        return true;
      }));
  RETURN_IF_ERROR(corrupt);
  return events;
}

}  // namespace complaints::tracking
