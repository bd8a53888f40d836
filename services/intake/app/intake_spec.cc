#include "services/intake/app/intake_spec.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "complaints/v1/intake.pb.h"
#include "libs/complaint/input.h"
#include "libs/core/status_macros.h"
#include "libs/runner/staff_commands.h"
#include "libs/runner/topics.h"
#include "libs/security/access_policy.h"
#include "services/intake/app/evidence_store.h"
#include "services/intake/app/intake_families.h"
#include "services/intake/app/intake_projections.h"
#include "services/intake/domain/history.h"
#include "services/intake/domain/personal_data.h"

namespace complaints::intake {
namespace {

using Actor = v1::Actor;
using Decided = absl::StatusOr<Decision>;
using Events = absl::StatusOr<std::vector<v1::Envelope>>;

// §4.2 a new complaint's events, its personal data sealed under the
// complainant's key before the event exists anywhere: the store, the
// outbox, the topic.
template <typename Command>
Decision Sealed(const IntakeParts& parts, Command command) {
  return [decider = parts.decider, keys = parts.keys, command = std::move(command)](
             const v1::ComplaintView& view, const DecisionUnit& unit) -> Events {
    ASSIGN_OR_RETURN(std::vector<v1::Envelope> decided, decider->Decide(command, view));
    if (decided.empty()) return decided;
    v1::ComplaintReceived& received = *decided.front().mutable_received();
    const std::string subject =
        keys->SubjectId(SubjectValue(received.complainant()), unit.complaint_id());
    ASSIGN_OR_RETURN(const DataKeys::Key key, unit.projection<PersonalFold>().ForSubject(subject));
    SealReceived(received, unit.complaint_id(), key.key, key.id, subject);
    return decided;
  };
}

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

template <typename Request>
CommandSpec Staff(const google::protobuf::MethodDescriptor* method,
                  std::function<Decided(const Request&, const Actor&)> validate) {
  CommandSpec spec = Command<Request>(method, std::move(validate));
  spec.answer = IntakeOutcomeOf;
  return spec;
}

void AddOpening(const IntakeParts& parts, const google::protobuf::ServiceDescriptor* api,
                ServiceSpec& spec) {
  const VerificationDecider* verification = parts.verification;
  const Clock* clock = parts.clock;
  spec.commands.push_back(Opening<v1::SubmitComplaintRequest>(
      MethodOf(api, "SubmitComplaint"),
      [parts, verification, clock](const v1::SubmitComplaintRequest& r,
                                   const Actor&) -> absl::StatusOr<Opened> {
        // The decider checks the request, after the key: a repeat is answered
        // as it was first.
        Opened opened{.key = r.idempotency_key(),
                      .key_expires = !absl::StartsWith(r.idempotency_key(), kImportKeyPrefix),
                      .causation = absl::StrCat("submit:", r.idempotency_key()),
                      .decision = Sealed(parts, SubmitComplaint{r, clock->Now()})};
        if (verification != nullptr) {
          // §2.4: the call-back falls due soon after intake.
          opened.then = [verification](const v1::ComplaintView& view, const DecisionUnit& unit) {
            return verification->Decide(ScheduleCallback{unit.complaint_id()}, view);
          };
        }
        return opened;
      },
      AnswerOfSubmit));
  spec.commands.push_back(Opening<v1::ImportCaseRequest>(
      MethodOf(api, "ImportCase"),
      [parts, clock](const v1::ImportCaseRequest& r, const Actor&) -> absl::StatusOr<Opened> {
        // §4.2 no call-back: the case was verified, or not, back then.
        ASSIGN_OR_RETURN(ImportedCase imported, CleanImport(r, clock->Now()));
        const std::string key = imported.submission.idempotency_key();
        return Opened{.key = key,
                      .key_expires = false,
                      .causation = key,
                      .decision = Sealed(parts, ImportCase{std::move(imported)})};
      },
      AnswerOfImport));
}

void AddStaff(const IntakeParts& parts, const google::protobuf::ServiceDescriptor* api,
              ServiceSpec& spec) {
  const IntakeDecider* decider = parts.decider;
  const VerificationDecider* verification = parts.verification;
  spec.commands.push_back(Staff<v1::RecordVerificationRequest>(
      MethodOf(api, "RecordVerification"),
      [verification](const v1::RecordVerificationRequest& r, const Actor&) -> Decided {
        if (verification == nullptr) {
          return absl::FailedPreconditionError("RecordVerification: no verification policy loaded");
        }
        ASSIGN_OR_RETURN(std::string explanation,
                         CleanFreeText("explanation", r.explanation(), kMaxReasonChars,
                                       /*required=*/!r.unanswered()));
        if (!r.unanswered()) {
          return Decide(verification,
                        RecordVerification{r.complaint_id(), r.outcome(), std::move(explanation)});
        }
        if (r.outcome() != v1::VERIFICATION_OUTCOME_UNSPECIFIED) {
          return InvalidField("outcome", "must be unset for an unanswered attempt");
        }
        return Decide(verification, RecordUnansweredCallback{r.complaint_id(), explanation});
      }));
  spec.commands.push_back(Staff<v1::ReclassifyRequest>(
      MethodOf(api, "Reclassify"),
      [decider](const v1::ReclassifyRequest& r, const Actor&) -> Decided {
        std::string category = r.category();
        RETURN_IF_ERROR(
            CleanField("category", &category, 64, TextShape::kSingleLine, Presence::kOptional));
        if (!v1::Priority_IsValid(r.priority())) return InvalidField("priority", "unknown");
        if (!v1::Complexity_IsValid(r.complexity())) return InvalidField("complexity", "unknown");
        ASSIGN_OR_RETURN(std::string reason,
                         CleanFreeText("reason", r.reason(), kMaxReasonChars, true));
        return Decide(decider, ReclassifyComplaint{r.complaint_id(), category, r.priority(),
                                                   r.complexity(), reason});
      }));
  spec.commands.push_back(Staff<v1::RequestErasureRequest>(
      MethodOf(api, "RequestErasure"),
      [decider](const v1::RequestErasureRequest& r, const Actor&) -> Decided {
        ASSIGN_OR_RETURN(std::string reason,
                         CleanFreeText("reason", r.reason(), kMaxReasonChars, true));
        // Every key of the complainant goes: crypto-shredding erases all
        // their complaints' personal data, wherever a copy of the sealed
        // bytes is (the personal-data projection deletes and tombstones them).
        return [decider, id = r.complaint_id(), reason](const v1::ComplaintView& view,
                                                        const DecisionUnit& unit) -> Events {
          std::vector<std::string> key_ids;
          if (!view.intake().subject_id().empty()) {
            ASSIGN_OR_RETURN(key_ids,
                             unit.projection<PersonalFold>().KeysOf(view.intake().subject_id()));
          }
          return decider->Decide(RequestErasure{id, reason, key_ids}, view);
        };
      }));
  spec.commands.push_back(Staff<v1::WithdrawRequest>(
      MethodOf(api, "Withdraw"), [decider](const v1::WithdrawRequest& r, const Actor&) -> Decided {
        ASSIGN_OR_RETURN(std::string reason,
                         CleanFreeText("reason", r.reason(), kMaxReasonChars, true));
        return Decide(decider, WithdrawComplaint{r.complaint_id(), reason});
      }));
  // §2.2 a file whose bytes are stored (evidence_store.h): the request is
  // the EvidenceAttached the upload assembled; the same file again for the
  // same complaint records nothing.
  const Store* store = parts.store;
  spec.commands.push_back(Staff<v1::EvidenceAttached>(
      MethodOf(api, "AttachEvidence"),
      [decider, store](const v1::EvidenceAttached& attached, const Actor&) -> Decided {
        return [decider, store, attached](const v1::ComplaintView& view,
                                          const DecisionUnit& unit) -> Events {
          ASSIGN_OR_RETURN(const bool held, HoldsEvidence(*store, unit.complaint_id(),
                                                          attached.attachment().sha256()));
          if (held) return std::vector<v1::Envelope>{};
          return decider->Decide(
              AttachEvidence{unit.complaint_id(), attached.attachment(), attached.description()},
              view);
        };
      }));
}

}  // namespace

ServiceSpec IntakeSpec(const IntakeParts& parts) {
  ServiceSpec spec{.service = "intake",
                   .writer = v1::WRITER_INTAKE,
                   .topic = std::string(topics::kIntake),
                   .timeline = Timeline::kSkip,
                   .view_parts = kViewParts};
  const google::protobuf::ServiceDescriptor* api =
      v1::SubmitComplaintRequest::descriptor()->file()->FindServiceByName("IntakeService");
  AddOpening(parts, api, spec);
  AddStaff(parts, api, spec);
  spec.projections = {PersonalProjection(parts.store, parts.keys),
                      EvidenceProjection(parts.store->partitions()), MailProjection()};
  // §4.2 a handler acts only on what they or their department hold.
  spec.admit = CheckHoldingOf;
  spec.ready = [accepting = parts.accepting, outbox = parts.outbox,
                high_water = parts.outbox_high_water]() -> absl::Status {
    if (accepting != nullptr && !accepting->load()) {
      return absl::UnavailableError(
          "intake: rebuilding its state from its own topic; retry in a moment");
    }
    if (outbox->depth() >= high_water) {
      return absl::UnavailableError(absl::StrCat(
          "intake: ", outbox->depth(),
          " events are waiting for Kafka (the outbox's high-water mark); retry later"));
    }
    return absl::OkStatus();
  };
  spec.name_complaint = [ids = parts.ids](absl::Time now) { return ids->NewComplaintId(now); };
  return spec;
}

}  // namespace complaints::intake
