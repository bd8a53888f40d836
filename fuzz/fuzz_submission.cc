// Request validation: any bytes that parse as a SubmitComplaintRequest are
// either refused with INVALID_ARGUMENT naming a field, or recorded as events
// whose text obeys the text rule, stay under the event ceiling, and are stable
// (cleaning what was recorded changes nothing).
#include <cstdint>
#include <cstdlib>

#include "fuzz/require.h"
#include "libs/core/text.h"
#include "libs/runner/outbox.h"
#include "services/intake/domain/intake_decider.h"
#include "services/intake/domain/test_rules.h"
#include "services/intake/domain/validation.h"

namespace {

using complaints::fuzz::Require;

using namespace complaints;

bool NoControlButLineBreaks(absl::string_view text) {
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return false;
  }
  return IsValidUtf8(text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const intake::Classifier classifier = *intake::Classifier::Create(intake::TestRules());
  static const intake::IntakeDecider decider(&classifier);
  v1::SubmitComplaintRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  const absl::Time now = absl::FromUnixSeconds(1'795'000'000);
  absl::StatusOr<v1::SubmitComplaintRequest> cleaned = intake::CleanSubmission(request, now);
  if (!cleaned.ok()) {
    Require(cleaned.status().code() == absl::StatusCode::kInvalidArgument);
    Require(cleaned.status().message().find(": ") != absl::string_view::npos);  // names the field
    Require(cleaned.status().message().size() < 400);  // quotes no more than a prefix
    return 0;
  }
  absl::StatusOr<v1::SubmitComplaintRequest> again = intake::CleanSubmission(*cleaned, now);
  Require(again.ok() && again->SerializeAsString() == cleaned->SerializeAsString());
  Require(NoControlButLineBreaks(cleaned->content()) &&
          NoControlButLineBreaks(cleaned->description()));
  auto events = decider.Decide(intake::SubmitComplaint{request, now}, {});
  Require(events.ok() && events->size() == 2);
  for (const v1::Envelope& event : *events) Require(event.ByteSizeLong() < kDefaultMaxRecordBytes);
  return 0;
}
