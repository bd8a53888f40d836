#include "services/intake/app/intake_app.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/runner/topics.h"

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

}  // namespace

IntakeApp::IntakeApp(IntakeAppOptions options)
    : options_(options),
      decider_(options.classifier),
      submit_{"SubmitComplaint", &v1::SubmitComplaintResponse::default_instance(), AnswerOfSubmit},
      runner_({.store = options.parts.store,
               .outbox = options.parts.outbox,
               .clock = options.parts.clock,
               .key_retention = options.key_retention,
               .kinds = {submit_}}),
      applier_(ApplierFor(options.parts, v1::WRITER_INTAKE, Timeline::kSkip),
               [this]() -> absl::StatusOr<Reaction> {
                 // Only intake's own events are read back; what they restore
                 // besides the view is the key they were decided for.
                 return
                     [this](UnitOfWork& unit, const v1::Envelope& event, const v1::ComplaintView&,
                            const v1::ComplaintView& after, absl::Time) {
                       runner_.Restore(unit, event, after);
                       return absl::OkStatus();
                     };
               }) {}

absl::StatusOr<v1::SubmitComplaintResponse> IntakeApp::Submit(
    const v1::SubmitComplaintRequest& request) {
  if (!accepting_.load()) {
    return absl::UnavailableError(
        "intake: rebuilding its state from its own topic; retry in a moment");
  }
  const absl::Time now = options_.parts.clock->Now();
  if (options_.parts.outbox->depth() >= options_.outbox_high_water) {
    return absl::UnavailableError(
        absl::StrCat("intake: ", options_.parts.outbox->depth(),
                     " events are waiting for Kafka (the outbox's high-water mark); retry later"));
  }
  const std::string& key = request.idempotency_key();
  const v1::CommandOrigin origin =
      OriginOf(submit_, request, key, !absl::StartsWith(key, kImportKeyPrefix));
  const std::string complaint_id = options_.ids->NewComplaintId(now);
  EventContext context{now, now, request.actor(), absl::StrCat("submit:", key)};
  if (context.actor.id().empty()) {
    context.actor.set_id(absl::StrCat("channel:", v1::Channel_Name(request.channel())));
    context.actor.set_role("intake-system");
  }
  v1::SubmitComplaintResponse answer;
  ASSIGN_OR_RETURN(bool repeated, runner_.Run(
                                      submit_, origin, complaint_id, context,
                                      [&](UnitOfWork& unit, const EventContext& stamped) {
                                        return RunDecider(unit, decider_,
                                                          SubmitComplaint{request, now},
                                                          complaint_id, v1::WRITER_INTAKE,
                                                          topics::kIntake, stamped)
                                            .status();
                                      },
                                      &answer));
  answer.set_duplicate(repeated);
  return answer;
}

}  // namespace complaints::intake
