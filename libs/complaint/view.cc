#include "libs/complaint/view.h"

namespace complaints {

int64_t AppliedSequence(const v1::ComplaintView& view, v1::Writer writer) {
  switch (writer) {
    case v1::WRITER_INTAKE:
      return view.intake().applied_sequence();
    case v1::WRITER_DISPATCH:
      return view.dispatch().applied_sequence();
    case v1::WRITER_TRACKING:
      return view.tracking().applied_sequence();
    default:
      return 0;
  }
}

bool AlreadyApplied(const v1::ComplaintView& view, const v1::Envelope& event) {
  return event.sequence() <= AppliedSequence(view, event.writer());
}

v1::ComplaintView Evolve(v1::ComplaintView view, const v1::Envelope& event) {
  if (AlreadyApplied(view, event)) return view;
  view.set_complaint_id(event.complaint_id());
  switch (event.payload_case()) {
    case v1::Envelope::kReceived: {
      v1::IntakeState& intake = *view.mutable_intake();
      intake.set_received(true);
      intake.set_channel(event.received().channel());
      *intake.mutable_received_at() = event.occurred_at();
      *intake.mutable_location() = event.received().location();
      break;
    }
    case v1::Envelope::kClassified:
      view.mutable_intake()->set_category(event.classified().category());
      view.mutable_intake()->set_priority(event.classified().priority());
      break;
    case v1::Envelope::kAssigned:
      view.mutable_dispatch()->set_department(event.assigned().department());
      view.mutable_dispatch()->set_handler(event.assigned().handler());
      break;
    case v1::Envelope::kDeadlinesSet:
      *view.mutable_tracking()->mutable_respond_by() = event.deadlines_set().respond_by();
      *view.mutable_tracking()->mutable_resolve_by() = event.deadlines_set().resolve_by();
      break;
    case v1::Envelope::PAYLOAD_NOT_SET:
      break;
  }
  switch (event.writer()) {
    case v1::WRITER_INTAKE:
      view.mutable_intake()->set_applied_sequence(event.sequence());
      break;
    case v1::WRITER_DISPATCH:
      view.mutable_dispatch()->set_applied_sequence(event.sequence());
      break;
    case v1::WRITER_TRACKING:
      view.mutable_tracking()->set_applied_sequence(event.sequence());
      break;
    default:
      break;
  }
  return view;
}

}  // namespace complaints
