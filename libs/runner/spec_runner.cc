#include "libs/runner/spec_runner.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "libs/complaint/view.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/runner/staff_commands.h"

namespace complaints {
namespace {

// A decider's refusal (a Rejection: the record that asked becomes a dead
// letter), or a failure to retry, by its code (service_spec.h, Decision).
absl::Status Refusal(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kOutOfRange:
      return Rejection(status);
    default:
      return status;
  }
}

bool Spans(const ServiceSpec& spec) {
  for (const ProjectionSpec& projection : spec.projections) {
    if (projection.spans_complaints) return true;
  }
  return false;
}

std::vector<CommandKind> KindsOf(const ServiceSpec& spec) {
  std::vector<CommandKind> kinds;
  for (const CommandSpec& command : spec.commands) {
    const google::protobuf::Message* answer =
        command.open ? google::protobuf::MessageFactory::generated_factory()->GetPrototype(
                           command.method->output_type())
                     : &v1::CommandOutcome::default_instance();
    kinds.push_back(
        {command.method->name(), answer, command.answer ? command.answer : Answer(OutcomeOf)});
  }
  return kinds;
}

// Sets the bool field `name` of `message`, when it has one.
void SetBool(google::protobuf::Message* message, const char* name, bool value) {
  const google::protobuf::FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(name);
  if (field != nullptr && field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_BOOL &&
      !field->is_repeated()) {
    message->GetReflection()->SetBool(message, field, value);
  }
}

// The string field `name` of a request ("" when it has none).
std::string StringField(const google::protobuf::Message& message, const char* name) {
  const google::protobuf::FieldDescriptor* field = message.GetDescriptor()->FindFieldByName(name);
  if (field == nullptr || field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_STRING ||
      field->is_repeated()) {
    return "";
  }
  return message.GetReflection()->GetString(message, field);
}

// Publishes what the spec announces for each event decided now.
RecordHook AnnounceHook(const ServiceSpec& spec) {
  if (!spec.announce) return nullptr;
  return [announce = spec.announce](UnitOfWork& unit, const v1::Envelope& recorded,
                                    const v1::ComplaintView& after) -> absl::Status {
    for (OutboxRecord& record : announce(recorded, after)) {
      RETURN_IF_ERROR(unit.Publish(std::move(record)));
    }
    return absl::OkStatus();
  };
}

}  // namespace

const google::protobuf::MethodDescriptor* MethodOf(
    const google::protobuf::ServiceDescriptor* service, const std::string& name) {
  const google::protobuf::MethodDescriptor* method = service->FindMethodByName(name);
  if (method == nullptr) {
    std::fprintf(stderr, "%s has no method %s\n", service->full_name().c_str(), name.c_str());
    std::abort();
  }
  return method;
}

void DecisionUnit::Missing(const char* type) {
  std::fprintf(stderr, "no projection of type %s in this unit of work\n", type);
  std::abort();
}

SpecRunner::SpecRunner(ServiceSpec spec, const RunnerParts& parts, absl::Duration key_retention)
    : spec_(std::move(spec)),
      parts_(parts),
      kinds_(KindsOf(spec_)),
      runner_({.store = parts.store,
               .outbox = parts.outbox,
               .clock = parts.clock,
               .key_retention = key_retention,
               .kinds = kinds_,
               .gate = parts.gate,
               .record_hook = AnnounceHook(spec_),
               .exclusive = Spans(spec_),
               .timeline = spec_.timeline,
               .view_parts = spec_.view_parts}),
      applier_(
          [&] {
            ApplierOptions options = ApplierFor(parts, spec_.writer, spec_.timeline);
            // The reaction itself skips what is answered (projections_see_answered).
            options.skip_answered = false;
            options.view_parts = spec_.view_parts;
            options.record_hook = AnnounceHook(spec_);
            return options;
          }(),
          [this] { return BatchReaction(); }) {}

const google::protobuf::MethodDescriptor* SpecRunner::MethodFor(
    const google::protobuf::Descriptor* request,
    const google::protobuf::Descriptor* response) const {
  for (const CommandSpec& command : spec_.commands) {
    if (command.method->input_type() == request && command.method->output_type() == response) {
      return command.method;
    }
  }
  return nullptr;
}

absl::StatusOr<std::vector<std::unique_ptr<ProjectionFold>>> SpecRunner::BeginFolds() const {
  std::vector<std::unique_ptr<ProjectionFold>> folds;
  for (const ProjectionSpec& projection : spec_.projections) {
    ASSIGN_OR_RETURN(std::unique_ptr<ProjectionFold> fold, projection.begin());
    folds.push_back(std::move(fold));
  }
  return folds;
}

absl::Status SpecRunner::Run(const google::protobuf::MethodDescriptor* method,
                             const google::protobuf::Message& request, const v1::Actor& actor,
                             google::protobuf::Message* response) {
  return Run(method, request, StringField(request, "idempotency_key"),
             StringField(request, "complaint_id"), actor, response);
}

absl::Status SpecRunner::Run(const google::protobuf::MethodDescriptor* method,
                             const google::protobuf::Message& request, const std::string& key,
                             const std::string& complaint_id, const v1::Actor& actor,
                             google::protobuf::Message* response) {
  size_t index = 0;
  while (index < spec_.commands.size() && spec_.commands[index].method != method) ++index;
  if (method == nullptr || index == spec_.commands.size()) {
    return absl::UnimplementedError("not a command of this service");
  }
  if (spec_.ready) RETURN_IF_ERROR(spec_.ready());
  if (spec_.commands[index].open) return Open(index, request, actor, response);
  const CommandKind& kind = kinds_[index];
  ASSIGN_OR_RETURN(const Decision decision, spec_.commands[index].validate(request, actor));
  RETURN_IF_ERROR(CheckStaffRequest(key, complaint_id));
  const google::protobuf::FieldDescriptor* outcome_field =
      response->GetDescriptor()->FindFieldByName("outcome");
  auto* outcome = outcome_field == nullptr
                      ? nullptr
                      : dynamic_cast<v1::CommandOutcome*>(
                            response->GetReflection()->MutableMessage(response, outcome_field));
  if (outcome == nullptr) {
    return absl::InternalError(absl::StrCat(kind.name, ": its response has no CommandOutcome"));
  }
  const absl::Time now = parts_.clock->Now();
  const v1::CommandOrigin origin = OriginOf(kind, request, key, /*key_expires=*/true);
  const EventContext context{now, now, actor, absl::StrCat(kind.name, ":", key)};
  ASSIGN_OR_RETURN(
      const bool repeated,
      runner_.Run(
          kind, origin, complaint_id, context,
          [&](UnitOfWork& unit, const EventContext& stamped) -> absl::Status {
            ASSIGN_OR_RETURN(const v1::ComplaintView* current, unit.View(complaint_id));
            const v1::ComplaintView before = *current;
            if (!KnownComplaint(before)) {
              return absl::NotFoundError(
                  absl::StrCat("complaint ", EscapedPrefix(complaint_id), " is not known"));
            }
            if (spec_.admit) RETURN_IF_ERROR(spec_.admit(actor, before));
            // Commands that share a projection run alone (exclusive): what
            // the folds load stays current until this unit commits.
            ASSIGN_OR_RETURN(std::vector<std::unique_ptr<ProjectionFold>> folds, BeginFolds());
            absl::StatusOr<std::vector<v1::Envelope>> decided =
                decision(before, DecisionUnit(now, &folds, &unit, complaint_id));
            if (!decided.ok()) return Explained(kind.name, decided.status(), before);
            std::vector<Change> changes = {{complaint_id, &before, {}}};
            RETURN_IF_ERROR(RecordEach(unit, *std::move(decided), stamped, changes));
            return FoldAll(unit, folds, changes);
          },
          outcome));
  outcome->set_duplicate(repeated);
  return absl::OkStatus();
}

absl::Status SpecRunner::Open(size_t index, const google::protobuf::Message& request,
                              const v1::Actor& actor, google::protobuf::Message* response) {
  const CommandKind& kind = kinds_[index];
  ASSIGN_OR_RETURN(const Opened opened, spec_.commands[index].open(request, actor));
  const absl::Time now = parts_.clock->Now();
  const std::string complaint_id = spec_.name_complaint(now);
  const v1::CommandOrigin origin = OriginOf(kind, request, opened.key, opened.key_expires);
  const EventContext context{now, now, actor, opened.causation};
  ASSIGN_OR_RETURN(
      const bool repeated,
      runner_.Run(
          kind, origin, complaint_id, context,
          [&](UnitOfWork& unit, const EventContext& stamped) -> absl::Status {
            ASSIGN_OR_RETURN(const v1::ComplaintView* current, unit.View(complaint_id));
            const v1::ComplaintView before = *current;
            ASSIGN_OR_RETURN(std::vector<std::unique_ptr<ProjectionFold>> folds, BeginFolds());
            const DecisionUnit decisions(now, &folds, &unit, complaint_id);
            std::vector<Change> changes = {{complaint_id, &before, {}}};
            for (const Decision* decision : {&opened.decision, &opened.then}) {
              if (!*decision) continue;
              ASSIGN_OR_RETURN(const v1::ComplaintView* view, unit.View(complaint_id));
              absl::StatusOr<std::vector<v1::Envelope>> decided = (*decision)(*view, decisions);
              if (!decided.ok()) return Rejection(decided.status());
              if (decided->empty()) break;  // nothing opened, so nothing follows
              RETURN_IF_ERROR(RecordEach(unit, *std::move(decided), stamped, changes));
            }
            return FoldAll(unit, folds, changes);
          },
          response));
  SetBool(response, "duplicate", repeated);
  return absl::OkStatus();
}

absl::StatusOr<bool> SpecRunner::Run(const Act& act, const Decision& decision) {
  std::optional<WriteGate::Exclusive> alone;
  std::optional<WriteGate::OneComplaint> one;
  if (Spans(spec_)) {
    alone.emplace(parts_.gate);
  } else {
    one.emplace(parts_.gate, act.complaint_id);
  }
  const absl::Time now = parts_.clock->Now();
  UnitOfWork unit(parts_.store, parts_.outbox, spec_.timeline, AnnounceHook(spec_),
                  spec_.view_parts);
  ASSIGN_OR_RETURN(const v1::ComplaintView* current, unit.View(act.complaint_id));
  const v1::ComplaintView before = *current;
  ASSIGN_OR_RETURN(std::vector<std::unique_ptr<ProjectionFold>> folds, BeginFolds());
  absl::StatusOr<std::vector<v1::Envelope>> decided =
      decision(before, DecisionUnit(now, &folds, &unit, act.complaint_id));
  // A store failure leaves everything for the next round; a person hears
  // the refusal, and nothing is written.
  if (!decided.ok() && (act.actor.has_value() || !IsRejection(Refusal(decided.status())))) {
    return decided.status();
  }
  std::vector<Change> changes = {{act.complaint_id, &before, {}}};
  const EventContext context{
      now, now, act.actor.has_value() ? *act.actor : ServiceActor(spec_.service, act.role),
      act.causation_id};
  if (decided.ok()) {
    RETURN_IF_ERROR(RecordEach(unit, *std::move(decided), context, changes));
  } else {
    unit.Note(log::Level::kWarn,
              {.complaint_id = act.complaint_id, .causation_id = act.causation_id},
              absl::StrCat(spec_.service, ": ", EscapedPrefix(act.causation_id, 80),
                           " decided nothing: ", decided.status().message()));
  }
  RETURN_IF_ERROR(FoldAll(unit, folds, changes));
  const bool recorded = unit.has_events();
  // A person's act is durable before they see anything; the service's own
  // are buffered, and the relay syncs the WAL before it publishes them.
  RETURN_IF_ERROR(unit.Commit(act.actor.has_value() ? Durability::kSynced : Durability::kBuffered));
  return recorded;
}

absl::StatusOr<Reaction> SpecRunner::BatchReaction() const {
  ASSIGN_OR_RETURN(std::vector<std::unique_ptr<ProjectionFold>> begun, BeginFolds());
  auto folds = std::make_shared<std::vector<std::unique_ptr<ProjectionFold>>>(std::move(begun));
  return Reaction([this, folds](UnitOfWork& unit, const v1::Envelope& event,
                                const v1::ComplaintView& before, const v1::ComplaintView& applied,
                                absl::Time now) -> absl::Status {
    const std::string& id = event.complaint_id();
    // Decided on before this service's state was rebuilt: recorded already.
    const bool answered =
        event.writer() != spec_.writer && Answered(applied, spec_.writer, event.event_id());
    if (answered && !spec_.projections_see_answered) return absl::OkStatus();
    std::vector<Change> changes;
    changes.push_back({id, &before, {}, 1});
    changes.front().events.Add(&event);  // lent for the reaction, not copied
    if (event.writer() == spec_.writer) {
      // Read back from the service's own topic (a rebuild): its key again.
      runner_.Restore(unit, event, applied);
    } else if (!answered) {
      // The unit's own view: each policy sees what the ones before it recorded.
      const v1::ComplaintView* after = &applied;
      for (const PolicySpec& policy : spec_.policies) {
        std::optional<Decision> decision = policy.when(event, before, *after);
        if (!decision) continue;
        absl::StatusOr<std::vector<v1::Envelope>> decided =
            (*decision)(*after, DecisionUnit(now, folds.get(), &unit, id));
        if (!decided.ok()) return Refusal(decided.status());
        const EventContext context{now, now, ServiceActor(spec_.service, policy.role),
                                   event.event_id()};
        RETURN_IF_ERROR(RecordEach(unit, *std::move(decided), context, changes));
        ASSIGN_OR_RETURN(after, unit.View(id));
      }
    }
    return FoldAll(unit, *folds, changes);
  });
}

absl::Status SpecRunner::RecordEach(UnitOfWork& unit, std::vector<v1::Envelope> decided,
                                    const EventContext& context,
                                    std::vector<Change>& changes) const {
  // Every complaint the decision names, in order of first mention; each
  // view is loaded before anything is recorded, so a failure records nothing.
  const std::string first = changes.front().complaint_id;
  std::vector<std::string> ids;
  std::map<std::string, std::vector<v1::Envelope>> by_complaint;
  for (v1::Envelope& event : decided) {
    const std::string id = event.complaint_id().empty() ? first : event.complaint_id();
    if (by_complaint.count(id) == 0) ids.push_back(id);
    event.clear_complaint_id();
    by_complaint[id].push_back(std::move(event));
  }
  // A copy of the view before, for each complaint no change holds yet.
  std::vector<std::shared_ptr<const v1::ComplaintView>> befores;
  for (const std::string& id : ids) {
    ASSIGN_OR_RETURN(const v1::ComplaintView* view, unit.View(id));
    const bool known = std::any_of(changes.begin(), changes.end(),
                                   [&](const Change& change) { return change.complaint_id == id; });
    befores.push_back(known ? nullptr : std::make_shared<const v1::ComplaintView>(*view));
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string& id = ids[i];
    ASSIGN_OR_RETURN(
        std::vector<v1::Envelope> recorded,
        unit.Record(id, spec_.writer, spec_.topic, std::move(by_complaint[id]), context));
    auto change = std::find_if(changes.begin(), changes.end(),
                               [&](const Change& known) { return known.complaint_id == id; });
    if (change == changes.end()) {
      change = changes.insert(changes.end(), {id, befores[i].get(), {}, 0, befores[i]});
    }
    for (v1::Envelope& event : recorded) {
      change->decided.push_back(std::make_shared<const v1::Envelope>(std::move(event)));
      change->events.Add(change->decided.back().get());
    }
  }
  return absl::OkStatus();
}

absl::Status SpecRunner::FoldAll(UnitOfWork& unit,
                                 std::vector<std::unique_ptr<ProjectionFold>>& folds,
                                 const std::vector<Change>& changes) const {
  for (const Change& change : changes) {
    ASSIGN_OR_RETURN(const v1::ComplaintView* after, unit.View(change.complaint_id));
    for (const std::unique_ptr<ProjectionFold>& fold : folds) {
      RETURN_IF_ERROR(fold->Fold(unit.batch(), {change.complaint_id, *change.before, *after,
                                                change.events, change.consumed}));
    }
  }
  for (const std::unique_ptr<ProjectionFold>& fold : folds) {
    for (OutboxRecord& record : fold->TakePublications()) {
      RETURN_IF_ERROR(unit.Publish(std::move(record)));
    }
  }
  return absl::OkStatus();
}

}  // namespace complaints
