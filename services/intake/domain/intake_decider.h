#pragma once
// The intake decider (§2.1–§2.3): a valid submission becomes ComplaintReceived
// followed by ComplaintClassified. Pure; the time comes in with the command.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/intake.pb.h"
#include "complaints/v1/state.pb.h"
#include "services/intake/domain/classifier.h"
#include "services/intake/domain/history.h"

namespace complaints::intake {

struct SubmitComplaint {
  v1::SubmitComplaintRequest request;
  absl::Time now;
};

// §4.2 a case from the centre's previous system, checked by CleanImport:
// received and classified at its opening time, carrying its history.
struct ImportCase {
  ImportedCase imported;
};

// §2.3: staff change the classification. An empty category, PRIORITY_UNSPECIFIED
// or COMPLEXITY_UNSPECIFIED keeps what the complaint has.
struct ReclassifyComplaint {
  std::string complaint_id;
  std::string category;
  v1::Priority priority = v1::PRIORITY_UNSPECIFIED;
  v1::Complexity complexity = v1::COMPLEXITY_UNSPECIFIED;
  std::string reason;
};

// §2.2 evidence sent after the complaint was recorded.
struct AttachEvidence {
  std::string complaint_id;
  v1::Attachment attachment;
  std::string description;
};

// §4.2 the complainant asks for their personal data to be erased.
struct RequestErasure {
  std::string complaint_id;
  std::string reason;
  std::vector<std::string> key_ids = {};  // the complainant's data keys, destroyed with it
};

// §4.2 audit: someone is shown the complaint's personal data unsealed.
struct ReadPersonalData {
  std::string complaint_id;
  std::string reason;
  std::vector<std::string> fields = {};
  bool export_read = false;
};

// §2.1/§4.1 the complainant withdraws the complaint.
struct WithdrawComplaint {
  std::string complaint_id;
  std::string reason;
};

class IntakeDecider {
 public:
  // `classifier` must outlive the decider.
  explicit IntakeDecider(const Classifier* classifier) : classifier_(classifier) {}

  // Events carry only their payloads; the runner completes the envelopes.
  // A complaint already received decides nothing.
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const SubmitComplaint& command,
                                                   const v1::ComplaintView& view) const;

  // Received and Classified dated at the case's opening (envelope occurred
  // and recorded times), the source's category under the rule "import" (the
  // classifier's otherwise), scope, urgency and priority from the text. A
  // case received already decides nothing.
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const ImportCase& command,
                                                   const v1::ComplaintView& view) const;

  // NOT_FOUND for an unknown complaint; INVALID_ARGUMENT for an unknown
  // category or a missing reason; FAILED_PRECONDITION once withdrawn; a
  // change to nothing new decides nothing.
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const ReclassifyComplaint& command,
                                                   const v1::ComplaintView& view) const;

  // INVALID_ARGUMENT naming the attachment field; NOT_FOUND for an unknown complaint.
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const AttachEvidence& command,
                                                   const v1::ComplaintView& view) const;
  // A second request decides nothing.
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const RequestErasure& command,
                                                   const v1::ComplaintView& view) const;
  // NOT_FOUND for an unknown complaint; INVALID_ARGUMENT without a reason;
  // FAILED_PRECONDITION once erasure was requested (nothing is left to read).
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const ReadPersonalData& command,
                                                   const v1::ComplaintView& view) const;
  // INVALID_ARGUMENT without a reason; FAILED_PRECONDITION when the call-back
  // has ended the complaint already; a second withdrawal decides nothing.
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const WithdrawComplaint& command,
                                                   const v1::ComplaintView& view) const;

 private:
  // A cleaned request's ComplaintReceived and ComplaintClassified.
  std::vector<v1::Envelope> Received(const v1::SubmitComplaintRequest& request,
                                     absl::Time now) const;

  const Classifier* classifier_;
};

}  // namespace complaints::intake
