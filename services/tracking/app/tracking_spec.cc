#include "services/tracking/app/tracking_spec.h"

#include "absl/strings/str_cat.h"
#include "complaints/v1/tracking.pb.h"
#include "libs/complaint/input.h"
#include "libs/complaint/view.h"
#include "libs/core/status_macros.h"
#include "libs/runner/consumption.h"
#include "libs/runner/topics.h"
#include "libs/security/access_policy.h"
#include "services/tracking/domain/due_timers.h"

namespace complaints::tracking {
namespace {

using Actor = v1::Actor;
using Decided = absl::StatusOr<Decision>;

absl::StatusOr<std::string> Text(absl::string_view field, const std::string& text, bool required) {
  return CleanFreeText(field, text, kMaxReasonChars, required);
}

// The decision `decider` makes of the command `make(now)`.
template <typename Decider, typename Make>
Decision At(const Decider* decider, Make make) {
  return
      [decider, make = std::move(make)](const v1::ComplaintView& view, const DecisionUnit& unit) {
        return decider->Decide(make(unit.now()), view);
      };
}

// §3.2 a deadline policy: its command comes from the consumed event alone.
template <typename Decider, typename Policy>
PolicySpec On(const Decider* decider, Policy policy) {
  return {.role = "deadline-policy",
          .when = [decider, policy](const v1::Envelope& event, const v1::ComplaintView&,
                                    const v1::ComplaintView&) -> std::optional<Decision> {
            auto command = policy(event);
            if (!command) return std::nullopt;
            return Decide(decider, *std::move(command));
          }};
}

void AddCommands(const TrackingParts& parts, ServiceSpec& spec) {
  const google::protobuf::ServiceDescriptor* api =
      v1::AddNoteRequest::descriptor()->file()->FindServiceByName("TrackingService");
  const HandlingDecider* handling = parts.handling;
  const SlaDecider* sla = parts.sla;
  spec.commands.push_back(Command<v1::AddNoteRequest>(
      MethodOf(api, "AddNote"), [handling](const v1::AddNoteRequest& r, const Actor&) -> Decided {
        ASSIGN_OR_RETURN(std::string text, Text("text", r.text(), true));
        return At(handling, [id = r.complaint_id(), text](absl::Time now) {
          return AddNote{id, text, now};
        });
      }));
  spec.commands.push_back(Command<v1::RecordEvidenceRequest>(
      MethodOf(api, "RecordEvidence"),
      [handling](const v1::RecordEvidenceRequest& r, const Actor&) -> Decided {
        ASSIGN_OR_RETURN(v1::Attachment attachment, CleanAttachment("attachment", r.attachment()));
        ASSIGN_OR_RETURN(std::string description, Text("description", r.description(), false));
        return At(handling, [id = r.complaint_id(), attachment, description](absl::Time now) {
          return CollectEvidence{id, attachment, description, now};
        });
      }));
  spec.commands.push_back(Command<v1::PauseRequest>(
      MethodOf(api, "Pause"), [sla](const v1::PauseRequest& r, const Actor&) -> Decided {
        ASSIGN_OR_RETURN(std::string reason, Text("reason", r.reason(), true));
        return At(sla, [id = r.complaint_id(), reason](absl::Time now) {
          return PauseClock{id, now, reason};
        });
      }));
  spec.commands.push_back(Command<v1::ResumeRequest>(
      MethodOf(api, "Resume"), [sla](const v1::ResumeRequest& r, const Actor&) -> Decided {
        return At(sla, [id = r.complaint_id()](absl::Time now) { return ResumeClock{id, now}; });
      }));
  spec.commands.push_back(Command<v1::RequestExtensionRequest>(
      MethodOf(api, "RequestExtension"),
      [handling](const v1::RequestExtensionRequest& r, const Actor&) -> Decided {
        if (!v1::SlaTarget_IsValid(r.target())) return InvalidField("target", "unknown target");
        ASSIGN_OR_RETURN(std::string reason, Text("reason", r.reason(), true));
        return At(handling, [r, reason](absl::Time now) {
          return RequestExtension{r.complaint_id(), r.target(), r.extra_minutes(), reason, now};
        });
      }));
  spec.commands.push_back(Command<v1::DecideExtensionRequest>(
      MethodOf(api, "DecideExtension"),
      [handling](const v1::DecideExtensionRequest& r, const Actor&) -> Decided {
        ASSIGN_OR_RETURN(std::string note, Text("note", r.note(), true));
        ASSIGN_OR_RETURN(std::string message,
                         Text("complainant_message", r.complainant_message(), true));
        return At(handling,
                  [id = r.complaint_id(), approve = r.approve(), note, message](absl::Time now) {
                    return DecideExtension{id, approve, note, message, now};
                  });
      }));
  spec.commands.push_back(Command<v1::ResolveRequest>(
      MethodOf(api, "Resolve"), [handling](const v1::ResolveRequest& r, const Actor&) -> Decided {
        ASSIGN_OR_RETURN(std::string outcome, Text("outcome", r.outcome(), true));
        ASSIGN_OR_RETURN(std::string solution, Text("solution", r.solution(), true));
        ASSIGN_OR_RETURN(std::string prevention, Text("prevention", r.prevention(), true));
        // §3.1 its duplicates follow its resolution.
        const Resolve command{r.complaint_id(), outcome, solution, prevention, absl::Time()};
        return [handling, command](
                   const v1::ComplaintView& view,
                   const DecisionUnit& unit) -> absl::StatusOr<std::vector<v1::Envelope>> {
          std::vector<v1::ComplaintView> duplicates;
          for (const std::string& id : view.tracking().handling().duplicates()) {
            ASSIGN_OR_RETURN(duplicates.emplace_back(), unit.ViewOf(id));
          }
          Resolve at = command;
          at.now = unit.now();
          return handling->Decide(at, view, duplicates);
        };
      }));
  spec.commands.push_back(Command<v1::LinkDuplicateRequest>(
      MethodOf(api, "LinkDuplicate"),
      [handling](const v1::LinkDuplicateRequest& r, const Actor&) -> Decided {
        if (r.primary_id().size() > kMaxComplaintIdBytes) {
          return InvalidField("primary_id",
                              absl::StrCat("longer than ", kMaxComplaintIdBytes, " bytes"));
        }
        ASSIGN_OR_RETURN(std::string reason, Text("reason", r.reason(), true));
        const LinkDuplicate command{r.complaint_id(), r.primary_id(), reason, absl::Time()};
        return [handling, command](
                   const v1::ComplaintView& view,
                   const DecisionUnit& unit) -> absl::StatusOr<std::vector<v1::Envelope>> {
          ASSIGN_OR_RETURN(const v1::ComplaintView primary, unit.ViewOf(command.primary_id));
          LinkDuplicate at = command;
          at.now = unit.now();
          return handling->Decide(at, view, primary);
        };
      }));
  spec.commands.push_back(Command<v1::UnlinkDuplicateRequest>(
      MethodOf(api, "UnlinkDuplicate"),
      [handling](const v1::UnlinkDuplicateRequest& r, const Actor&) -> Decided {
        ASSIGN_OR_RETURN(std::string reason, Text("reason", r.reason(), true));
        return At(handling, [id = r.complaint_id(), reason](absl::Time now) {
          return UnlinkDuplicate{id, reason, now};
        });
      }));
  spec.commands.push_back(Command<v1::RecordCommunicationRequest>(
      MethodOf(api, "RecordCommunication"),
      [handling](const v1::RecordCommunicationRequest& r, const Actor&) -> Decided {
        if (!v1::Channel_IsValid(r.channel()) || r.channel() == v1::CHANNEL_UNSPECIFIED) {
          return InvalidField("channel", "required: how the result was told");
        }
        ASSIGN_OR_RETURN(std::string response,
                         Text("complainant_response", r.complainant_response(), false));
        return At(handling,
                  [id = r.complaint_id(), channel = r.channel(), response](absl::Time now) {
                    return CommunicateResult{id, channel, response, now};
                  });
      }));
  spec.commands.push_back(Command<v1::RecordFollowUpRequest>(
      MethodOf(api, "RecordFollowUp"),
      [handling](const v1::RecordFollowUpRequest& r, const Actor&) -> Decided {
        if (r.satisfaction() < 1 || r.satisfaction() > 5) {
          return InvalidField("satisfaction", "1 to 5");
        }
        ASSIGN_OR_RETURN(std::string comments, Text("comments", r.comments(), false));
        return At(handling,
                  [id = r.complaint_id(), score = r.satisfaction(), comments](absl::Time now) {
                    return RecordFollowUp{id, score, comments, now};
                  });
      }));
  spec.commands.push_back(Command<v1::RecordLongTermCheckRequest>(
      MethodOf(api, "RecordLongTermCheck"),
      [handling](const v1::RecordLongTermCheckRequest& r, const Actor&) -> Decided {
        ASSIGN_OR_RETURN(std::string note, Text("note", r.note(), true));
        return At(handling, [id = r.complaint_id(), recurred = r.recurred(), note](absl::Time now) {
          return RecordLongTermCheck{id, recurred, note, now};
        });
      }));
  spec.commands.push_back(Command<v1::RecordFeedbackRequest>(
      MethodOf(api, "RecordFeedback"),
      [handling](const v1::RecordFeedbackRequest& r, const Actor&) -> Decided {
        if (r.kind() != "opinion" && r.kind() != "suggestion") {
          return InvalidField("kind", "opinion or suggestion");
        }
        ASSIGN_OR_RETURN(std::string text, Text("text", r.text(), true));
        return At(handling, [id = r.complaint_id(), kind = r.kind(), text](absl::Time now) {
          return RecordFeedback{id, kind, text, now};
        });
      }));
}

void AddPolicies(const TrackingParts& parts, ServiceSpec& spec) {
  // §3.2 the clock starts, and follows a reclassification.
  spec.policies.push_back(On(parts.sla, StartPolicy));
  spec.policies.push_back(On(parts.sla, ReclassificationPolicy));
  // §3.1 every (new) holder is told its deadlines.
  spec.policies.push_back(On(parts.handling, HandoverPolicy));
  // §4.2 an imported case's history, as its previous system recorded it.
  const HistoryDecider* history = parts.history;
  spec.policies.push_back(
      {.role = "history-import",
       .when = [history](const v1::Envelope& event, const v1::ComplaintView&,
                         const v1::ComplaintView& after) -> std::optional<Decision> {
         std::optional<RecordHistory> command = HistoryPolicy(event, after);
         if (!command) return std::nullopt;
         return Decide(history, *std::move(command));
       }});
  // §2.4 a call-back outcome that ends the complaint closes it, as does a
  // withdrawal.
  spec.policies.push_back(On(parts.handling, IntakeEndPolicy));
  // §4.2 an open import joins its department's backlog, its release slot
  // taken from the department's tally.
  const SlaDecider* sla = parts.sla;
  spec.policies.push_back(
      {.role = "history-import",
       .when = [sla](const v1::Envelope&, const v1::ComplaintView&,
                     const v1::ComplaintView& after) -> std::optional<Decision> {
         if (!Imported(after) || ImportedClosed(after) || !JoinsBacklog(after)) {
           return std::nullopt;
         }
         return [sla](const v1::ComplaintView& view,
                      const DecisionUnit& unit) -> absl::StatusOr<std::vector<v1::Envelope>> {
           ASSIGN_OR_RETURN(std::optional<absl::Time> release,
                            unit.projection<BacklogFold>().SlotFor(view));
           return sla->Decide(
               EnterBacklog{view.complaint_id(), view.dispatch().department(), release}, view);
         };
       }});
}

}  // namespace

ServiceSpec TrackingSpec(const TrackingParts& parts) {
  ServiceSpec spec{.service = "tracking",
                   .writer = v1::WRITER_TRACKING,
                   .topic = std::string(topics::kTracking),
                   .timeline = Timeline::kKeep,
                   // Its deciders and timer loop read the clock's timers.
                   .view_parts = ViewParts::kWhole,
                   // The projections follow every view change, a rebuild's too.
                   .projections_see_answered = true};
  AddCommands(parts, spec);
  AddPolicies(parts, spec);
  spec.projections = {TimersProjection(parts.store, parts.policy),
                      QueueProjection(parts.store->partitions()),
                      BacklogProjection(parts.store, parts.backlog)};
  if (const Notifier* notifier = parts.notifier) {
    spec.announce = [notifier](const v1::Envelope& recorded, const v1::ComplaintView& after) {
      std::vector<OutboxRecord> records;
      for (const v1::Notification& notification : notifier->For(recorded, after)) {
        records.push_back({std::string(topics::kNotifications), notification.complaint_id(),
                           notification.SerializeAsString()});
      }
      return records;
    };
  }
  // §4.2 a handler acts only on what they or their department hold.
  spec.admit = CheckHoldingOf;
  return spec;
}

Decision TimerDecision(const TrackingParts& parts, const DueEntry& entry) {
  return [parts, entry](const v1::ComplaintView& view,
                        const DecisionUnit& unit) -> absl::StatusOr<std::vector<v1::Envelope>> {
    unit.projection<TimersFold>().Fired(entry);
    const std::string& id = entry.complaint_id;
    if (entry.timer == kStatusReportTimer) {
      return parts.handling->Decide(ReportStatus{id, unit.now()}, view);
    }
    if (entry.timer == kArchiveTimer) {
      return parts.handling->Decide(ArchiveComplaint{id, unit.now()}, view);
    }
    if (entry.timer == kLongTermCheckTimer) {
      return parts.handling->Decide(RemindLongTermCheck{id, unit.now()}, view);
    }
    return parts.sla->Decide(FireTimer{id, entry.timer, unit.now()}, view);
  };
}

}  // namespace complaints::tracking
