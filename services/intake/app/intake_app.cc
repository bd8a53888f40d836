#include "services/intake/app/intake_app.h"

#include <type_traits>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/complaint/input.h"
#include "libs/core/log.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"
#include "libs/runner/consumption.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/staff_commands.h"
#include "libs/runner/topics.h"
#include "libs/security/access_policy.h"
#include "services/intake/domain/personal_data.h"

namespace complaints::intake {
namespace {

// Another system's record id: re-importing it must record nothing, ever.
constexpr char kImportKeyPrefix[] = "import:";

void AnswerOfSubmit(const v1::ComplaintView& view, google::protobuf::Message* message) {
  auto* answer = static_cast<v1::SubmitComplaintResponse*>(message);
  answer->set_complaint_id(view.complaint_id());
  answer->set_category(view.intake().category());
  answer->set_priority(view.intake().priority());
}

void AnswerOfImport(const v1::ComplaintView& view, google::protobuf::Message* message) {
  static_cast<v1::ImportCaseResponse*>(message)->set_complaint_id(view.complaint_id());
}

// What intake answers a staff command with: the outcome as intake decides
// it. Intake follows dispatch only to scope evidence, so the holder stays out
// of the answer: a store rebuilt from the topics (its own topic first)
// restores the same answers.
void IntakeOutcomeOf(const v1::ComplaintView& view, google::protobuf::Message* answer) {
  OutcomeOf(view, answer);
  auto* outcome = static_cast<v1::CommandOutcome*>(answer);
  outcome->clear_department();
  outcome->clear_handler();
}

}  // namespace

IntakeApp::IntakeApp(IntakeAppOptions options)
    : options_(options),
      decider_(options.classifier),
      mail_decider_(options.mail),
      submit_{"SubmitComplaint", &v1::SubmitComplaintResponse::default_instance(), AnswerOfSubmit},
      import_{"ImportCase", &v1::ImportCaseResponse::default_instance(), AnswerOfImport},
      kinds_([this] {
        std::vector<CommandKind> kinds = StaffKinds(
            {"RecordVerification", "Reclassify", "RequestErasure", "Withdraw", "AttachEvidence"});
        for (CommandKind& kind : kinds) kind.answer_of = IntakeOutcomeOf;
        kinds.push_back(submit_);
        kinds.push_back(import_);
        return kinds;
      }()),
      runner_({.store = options.parts.store,
               .outbox = options.parts.outbox,
               .clock = options.parts.clock,
               .key_retention = options.key_retention,
               .kinds = kinds_,
               .gate = options.parts.gate}),
      applier_(ApplierFor(options.parts, v1::WRITER_INTAKE, Timeline::kSkip),
               [this]() -> absl::StatusOr<Reaction> {
                 // Intake's own events, read back, restore the key they were
                 // decided for besides the view; dispatch's only move the
                 // view's holder (who may see the evidence).
                 return
                     [this](UnitOfWork& unit, const v1::Envelope& event, const v1::ComplaintView&,
                            const v1::ComplaintView& after, absl::Time) {
                       if (event.writer() != v1::WRITER_INTAKE) return absl::OkStatus();
                       runner_.Restore(unit, event, after);
                       StageSideEffects(unit.batch(), event);
                       return absl::OkStatus();
                     };
               }) {}

absl::Status IntakeApp::Admit() const {
  if (!accepting_.load()) {
    return absl::UnavailableError(
        "intake: rebuilding its state from its own topic; retry in a moment");
  }
  if (options_.parts.outbox->depth() >= options_.outbox_high_water) {
    return absl::UnavailableError(
        absl::StrCat("intake: ", options_.parts.outbox->depth(),
                     " events are waiting for Kafka (the outbox's high-water mark); retry later"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::SubmitComplaintResponse> IntakeApp::Submit(
    const v1::SubmitComplaintRequest& request, const v1::Actor& actor) {
  RETURN_IF_ERROR(Admit());
  const absl::Time now = options_.parts.clock->Now();
  const std::string& key = request.idempotency_key();
  const v1::CommandOrigin origin =
      OriginOf(submit_, request, key, !absl::StartsWith(key, kImportKeyPrefix));
  const std::string complaint_id = options_.ids->NewComplaintId(now);
  const EventContext context{now, now, actor, absl::StrCat("submit:", key)};
  const DecideNew decide = [&](const v1::ComplaintView& view) {
    return decider_.Decide(SubmitComplaint{request, now}, view);
  };
  v1::SubmitComplaintResponse answer;
  ASSIGN_OR_RETURN(bool repeated, runner_.Run(
                                      submit_, origin, complaint_id, context,
                                      [&](UnitOfWork& unit, const EventContext& stamped) {
                                        return Record(unit, decide, complaint_id, stamped,
                                                      /*schedule_callback=*/true);
                                      },
                                      &answer));
  answer.set_duplicate(repeated);
  return answer;
}

absl::StatusOr<v1::ImportCaseResponse> IntakeApp::ImportCase(const v1::ImportCaseRequest& request,
                                                             const v1::Actor& actor) {
  RETURN_IF_ERROR(Admit());
  const absl::Time now = options_.parts.clock->Now();
  ASSIGN_OR_RETURN(ImportedCase imported, CleanImport(request, now));
  const std::string key = imported.submission.idempotency_key();
  // The client's request, without the import time: the same row sent again
  // is the same request.
  const v1::CommandOrigin origin = OriginOf(import_, request, key, /*key_expires=*/false);
  const std::string complaint_id = options_.ids->NewComplaintId(now);
  const EventContext context{now, now, actor, key};
  const DecideNew decide = [&](const v1::ComplaintView& view) {
    return decider_.Decide(intake::ImportCase{imported}, view);
  };
  v1::ImportCaseResponse answer;
  ASSIGN_OR_RETURN(bool repeated, runner_.Run(
                                      import_, origin, complaint_id, context,
                                      [&](UnitOfWork& unit, const EventContext& stamped) {
                                        return Record(unit, decide, complaint_id, stamped,
                                                      /*schedule_callback=*/false);
                                      },
                                      &answer));
  answer.set_duplicate(repeated);
  return answer;
}

absl::Status IntakeApp::Record(UnitOfWork& unit, const DecideNew& decide,
                               const std::string& complaint_id, const EventContext& context,
                               bool schedule_callback) {
  ASSIGN_OR_RETURN(const v1::ComplaintView view, unit.View(complaint_id));
  absl::StatusOr<std::vector<v1::Envelope>> decided = decide(view);
  if (!decided.ok()) return Rejection(decided.status());
  if (decided->empty()) return absl::OkStatus();
  // §4.2 sealed before the event exists anywhere: the store, the outbox, the topic.
  v1::ComplaintReceived& received = *decided->front().mutable_received();
  const std::string subject =
      options_.keys->SubjectId(SubjectValue(received.complainant()), complaint_id);
  ASSIGN_OR_RETURN(const DataKeys::Key key, options_.keys->ForSubject(unit, subject));
  SealReceived(received, complaint_id, key.key, key.id, subject);
  ASSIGN_OR_RETURN(
      const std::vector<v1::Envelope> recorded,
      unit.Record(complaint_id, v1::WRITER_INTAKE, topics::kIntake, *std::move(decided), context));
  for (const v1::Envelope& event : recorded) StageSideEffects(unit.batch(), event);
  if (options_.verification == nullptr || !schedule_callback) return absl::OkStatus();
  // §2.4: the call-back falls due soon after intake.
  return RunDecider(unit, *options_.verification, ScheduleCallback{complaint_id}, complaint_id,
                    v1::WRITER_INTAKE, topics::kIntake, context)
      .status();
}

template <typename Response, typename Decider, typename Command>
absl::StatusOr<Response> IntakeApp::Run(absl::string_view name,
                                        const google::protobuf::Message& request,
                                        const std::string& key, const std::string& complaint_id,
                                        const v1::Actor& actor, const Decider& decider,
                                        const Command& command) {
  const StaffDecide decide = [&](UnitOfWork& unit, const EventContext& context,
                                 absl::Time) -> absl::Status {
    ASSIGN_OR_RETURN(const std::vector<v1::Envelope> recorded,
                     RunDecider(unit, decider, command, complaint_id, v1::WRITER_INTAKE,
                                topics::kIntake, context));
    for (const v1::Envelope& event : recorded) StageSideEffects(unit.batch(), event);
    if constexpr (std::is_same_v<Command, intake::RequestErasure>) {
      if (!recorded.empty()) {
        return options_.keys->Erase(unit, command.key_ids, FromProto(recorded[0].recorded_at()));
      }
    }
    return absl::OkStatus();
  };
  Response response;
  RETURN_IF_ERROR(RunStaffCommand(runner_, kinds_, name, request, key, complaint_id, actor,
                                  CheckHoldingOf, *options_.parts.clock, decide,
                                  response.mutable_outcome()));
  return response;
}

absl::StatusOr<v1::RecordVerificationResponse> IntakeApp::RecordVerification(
    const v1::RecordVerificationRequest& request, const v1::Actor& actor) {
  if (options_.verification == nullptr) {
    return absl::FailedPreconditionError("RecordVerification: no verification policy loaded");
  }
  ASSIGN_OR_RETURN(std::string explanation,
                   CleanFreeText("explanation", request.explanation(), kMaxReasonChars,
                                 /*required=*/!request.unanswered()));
  if (request.unanswered()) {
    if (request.outcome() != v1::VERIFICATION_OUTCOME_UNSPECIFIED) {
      return InvalidField("outcome", "must be unset for an unanswered attempt");
    }
    return Run<v1::RecordVerificationResponse>(
        "RecordVerification", request, request.idempotency_key(), request.complaint_id(), actor,
        *options_.verification, RecordUnansweredCallback{request.complaint_id(), explanation});
  }
  return Run<v1::RecordVerificationResponse>(
      "RecordVerification", request, request.idempotency_key(), request.complaint_id(), actor,
      *options_.verification,
      intake::RecordVerification{request.complaint_id(), request.outcome(), explanation});
}

absl::StatusOr<v1::ReclassifyResponse> IntakeApp::Reclassify(const v1::ReclassifyRequest& request,
                                                             const v1::Actor& actor) {
  std::string category = request.category();
  RETURN_IF_ERROR(
      CleanField("category", &category, 64, TextShape::kSingleLine, Presence::kOptional));
  if (!v1::Priority_IsValid(request.priority())) return InvalidField("priority", "unknown");
  if (!v1::Complexity_IsValid(request.complexity())) return InvalidField("complexity", "unknown");
  ASSIGN_OR_RETURN(std::string reason,
                   CleanFreeText("reason", request.reason(), kMaxReasonChars, true));
  return Run<v1::ReclassifyResponse>(
      "Reclassify", request, request.idempotency_key(), request.complaint_id(), actor, decider_,
      ReclassifyComplaint{request.complaint_id(), category, request.priority(),
                          request.complexity(), reason});
}

absl::StatusOr<v1::RequestErasureResponse> IntakeApp::RequestErasure(
    const v1::RequestErasureRequest& request, const v1::Actor& actor) {
  ASSIGN_OR_RETURN(std::string reason,
                   CleanFreeText("reason", request.reason(), kMaxReasonChars, true));
  // Every key of the complainant goes: crypto-shredding erases all their
  // complaints' personal data, wherever a copy of the sealed bytes is.
  std::vector<std::string> key_ids;
  absl::MutexLock erasing(&options_.keys->erasure_lock());
  {
    std::string complaint_id = request.complaint_id();
    RETURN_IF_ERROR(CleanField("complaint_id", &complaint_id, kMaxComplaintIdBytes,
                               TextShape::kSingleLine, Presence::kRequired));
    ASSIGN_OR_RETURN(const v1::ComplaintView view, StoredView(complaint_id));
    if (!view.intake().subject_id().empty()) {
      ASSIGN_OR_RETURN(key_ids, options_.keys->KeysOf(view.intake().subject_id()));
    }
  }
  absl::StatusOr<v1::RequestErasureResponse> response = Run<v1::RequestErasureResponse>(
      "RequestErasure", request, request.idempotency_key(), request.complaint_id(), actor, decider_,
      intake::RequestErasure{request.complaint_id(), reason, key_ids});
  if (!response.ok()) return response;
  // Deleted keys leave intake's files (WAL and tables) now, not at some later compaction.
  if (absl::Status purged = options_.keys->Purge(); !purged.ok()) {
    log::Error("intake: compacting erased data keys: {}", purged.ToString());
  }
  return response;
}

absl::StatusOr<v1::WithdrawResponse> IntakeApp::Withdraw(const v1::WithdrawRequest& request,
                                                         const v1::Actor& actor) {
  ASSIGN_OR_RETURN(std::string reason,
                   CleanFreeText("reason", request.reason(), kMaxReasonChars, true));
  return Run<v1::WithdrawResponse>("Withdraw", request, request.idempotency_key(),
                                   request.complaint_id(), actor, decider_,
                                   WithdrawComplaint{request.complaint_id(), reason});
}

}  // namespace complaints::intake
