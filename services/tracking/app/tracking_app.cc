#include "services/tracking/app/tracking_app.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/complaint/as_of.h"
#include "libs/complaint/view.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "libs/runner/consumption.h"
#include "libs/runner/paging.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/staff_commands.h"
#include "libs/runner/topics.h"

namespace complaints::tracking {

absl::StatusOr<std::unique_ptr<TrackingApp>> TrackingApp::Create(TrackingAppOptions options) {
  ASSIGN_OR_RETURN(HandlingDecider handling,
                   HandlingDecider::Create(options.handling, options.sla, options.calendar));
  return std::unique_ptr<TrackingApp>(new TrackingApp(std::move(options), std::move(handling)));
}

TrackingApp::TrackingApp(TrackingAppOptions options, HandlingDecider handling)
    : options_([&] {
        options.parts.view_hook = [this](Batch& batch, const v1::ComplaintView& loaded,
                                         const v1::ComplaintView& saved) {
          IndexTimers(batch, loaded, saved);
          IndexQueue(batch, loaded, saved);
        };
        if (options.notifier != nullptr) {
          // Only what tracking decides now: a rebuild, reading its events
          // back, sends nothing again.
          options.parts.record_hook = [notifier = options.notifier](
                                          UnitOfWork& unit, const v1::Envelope& recorded,
                                          const v1::ComplaintView& after) -> absl::Status {
            for (const v1::Notification& notification : notifier->For(recorded, after)) {
              RETURN_IF_ERROR(
                  unit.Publish({std::string(topics::kNotifications), notification.complaint_id(),
                                notification.SerializeAsString()}));
            }
            return absl::OkStatus();
          };
        }
        return std::move(options);
      }()),
      decider_(options_.sla, options_.calendar),
      handling_(std::move(handling)),
      history_(options_.handling),
      backlog_rules_(*BacklogRulesOf(options_.handling.backlog())),
      kinds_(StaffKinds({"AddNote", "RecordEvidence", "Pause", "Resume", "RequestExtension",
                         "DecideExtension", "Resolve", "RecordCommunication", "RecordFollowUp",
                         "RecordLongTermCheck", "RecordFeedback"})),
      runner_({.store = options_.parts.store,
               .outbox = options_.parts.outbox,
               .clock = options_.parts.clock,
               .key_retention = options_.key_retention,
               .kinds = kinds_,
               .gate = options_.parts.gate,
               .view_hook = options_.parts.view_hook,
               .record_hook = options_.parts.record_hook,
               .timeline = Timeline::kKeep}),
      applier_(
          ApplierFor(options_.parts, v1::WRITER_TRACKING, Timeline::kKeep),
          [this]() -> absl::StatusOr<Reaction> {
            Reaction start =
                PolicyReaction(decider_, StartPolicy, v1::WRITER_TRACKING, topics::kTracking,
                               ServiceActor("tracking", "deadline-policy"));
            Reaction reclassify =
                PolicyReaction(decider_, ReclassificationPolicy, v1::WRITER_TRACKING,
                               topics::kTracking, ServiceActor("tracking", "deadline-policy"));
            // §2.4: a call-back outcome that ends the complaint closes it, as
            // does a withdrawal.
            Reaction ended =
                PolicyReaction(handling_, IntakeEndPolicy, v1::WRITER_TRACKING, topics::kTracking,
                               ServiceActor("tracking", "deadline-policy"));
            // §3.1 every (new) holder is told its deadlines.
            Reaction handover =
                PolicyReaction(handling_, HandoverPolicy, v1::WRITER_TRACKING, topics::kTracking,
                               ServiceActor("tracking", "deadline-policy"));
            // §4.2 an imported case's history, as its previous system recorded it.
            const v1::Actor importer = ServiceActor("tracking", "history-import");
            Reaction history = [this, importer](UnitOfWork& unit, const v1::Envelope& event,
                                                const v1::ComplaintView&,
                                                const v1::ComplaintView& after,
                                                absl::Time now) -> absl::Status {
              std::optional<RecordHistory> command = HistoryPolicy(event, after);
              if (!command) return absl::OkStatus();
              const EventContext context{now, now, importer, event.event_id()};
              return RunDecider(unit, history_, *command, command->complaint_id,
                                v1::WRITER_TRACKING, topics::kTracking, context)
                  .status();
            };
            // §4.2 open imports join their department's backlog; the tallies
            // read in this batch are kept here, written with it.
            auto tallies = std::make_shared<std::map<std::string, v1::BacklogTally>>();
            Reaction backlog = [this, tallies](UnitOfWork& unit, const v1::Envelope& event,
                                               const v1::ComplaintView&,
                                               const v1::ComplaintView& after,
                                               absl::Time now) -> absl::Status {
              if (!Imported(after) || ImportedClosed(after)) return absl::OkStatus();
              return EnterBacklogOf(unit, event, now, *tallies);
            };
            return Reaction([this, start, reclassify, ended, handover, history, backlog](
                                UnitOfWork& unit, const v1::Envelope& event,
                                const v1::ComplaintView& before, const v1::ComplaintView& after,
                                absl::Time now) -> absl::Status {
              // Tracking's own events read back restore the keys they were decided for.
              if (event.writer() == v1::WRITER_TRACKING) {
                runner_.Restore(unit, event, after);
                return absl::OkStatus();
              }
              RETURN_IF_ERROR(start(unit, event, before, after, now));
              RETURN_IF_ERROR(reclassify(unit, event, before, after, now));
              RETURN_IF_ERROR(handover(unit, event, before, after, now));
              RETURN_IF_ERROR(history(unit, event, before, after, now));
              RETURN_IF_ERROR(ended(unit, event, before, after, now));
              return backlog(unit, event, before, after, now);
            });
          }) {}

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
