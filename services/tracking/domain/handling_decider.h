#pragma once
// Handling after dispatch, as one pure decider over the complaint view:
// §3.3 notes and evidence; §3.2 deadline extensions (asked before the
// deadline, decided by a supervisor, the complainant told); §3.4 resolution
// (outcome, solution and prevention all required) and result communication;
// §4.1 follow-up (satisfied: closed; not: reopened with new targets) and the
// long-term check (recurred: reopened); §2.4 a call-back that ends the
// complaint closes it; §4.2 archiving after the retention
// period; §5.2 status reports after a silence, and feedback. Each command
// carries its time.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"
#include "services/tracking/domain/business_calendar.h"
#include "services/tracking/domain/sla_policy.h"

namespace complaints::tracking {

struct AddNote {
  std::string complaint_id;
  std::string text;
  absl::Time now;
};
struct CollectEvidence {
  std::string complaint_id;
  v1::Attachment attachment;
  std::string description;
  absl::Time now;
};
struct RequestExtension {
  std::string complaint_id;
  v1::SlaTarget target;
  int64_t extra_minutes;
  std::string reason;
  absl::Time now;
};
struct DecideExtension {
  std::string complaint_id;
  bool approve;
  std::string note;
  std::string complainant_message;
  absl::Time now;
};
struct Resolve {
  std::string complaint_id;
  std::string outcome, solution, prevention;
  absl::Time now;
};
struct CommunicateResult {
  std::string complaint_id;
  v1::Channel channel;
  std::string complainant_response;
  absl::Time now;
};
struct RecordFollowUp {
  std::string complaint_id;
  int32_t satisfaction;
  std::string comments;
  absl::Time now;
};
struct RecordLongTermCheck {
  std::string complaint_id;
  bool recurred;
  std::string note;
  absl::Time now;
};
struct ArchiveComplaint {
  std::string complaint_id;
  absl::Time now;
};
// §4.1 the long-term check's time has come (timer).
struct RemindLongTermCheck {
  std::string complaint_id;
  absl::Time now;
};
struct ReportStatus {
  std::string complaint_id;
  absl::Time now;
};
// Intake ended the complaint: the §2.4 call-back with any outcome but
// CONFIRMED, or the complainant withdrew it.
struct EndAtIntake {
  std::string complaint_id;
  std::string reason;  // the closing reason on record
  absl::Time now;
};

// Policy: "VerificationRecorded with an outcome that ends the complaint, or
// ComplaintWithdrawn -> close it".
std::optional<EndAtIntake> IntakeEndPolicy(const v1::Envelope& event);

// §3.1 dispatch briefed a (new) holder of the complaint: tracking tells it
// the deadlines.
struct NotifyReceiver {
  std::string complaint_id;
  std::string department;
  std::string handler;
  absl::Time now;
};
// Policy: "ReceiverBriefed -> notify the receiver".
std::optional<NotifyReceiver> HandoverPolicy(const v1::Envelope& event);

// §3.1 one matter, many calls: the complaint is a duplicate of `primary_id`.
struct LinkDuplicate {
  std::string complaint_id;
  std::string primary_id;
  std::string reason;
  absl::Time now;
};

// §3.1 the link of the complaint to its primary is taken back.
struct UnlinkDuplicate {
  std::string complaint_id;
  std::string reason;
  absl::Time now;
};

struct RecordFeedback {
  std::string complaint_id;
  std::string kind;
  std::string text;
  absl::Time now;
};

class HandlingDecider {
 public:
  // INVALID_ARGUMENT naming the field path of a bad policy. `book` and
  // `calendar` must outlive the decider (reopening starts a new clock).
  static absl::StatusOr<HandlingDecider> Create(v1::HandlingPolicy policy, const SlaBook* book,
                                                const BusinessCalendar* calendar);

  using Events = absl::StatusOr<std::vector<v1::Envelope>>;
  Events Decide(const AddNote& command, const v1::ComplaintView& view) const;
  Events Decide(const CollectEvidence& command, const v1::ComplaintView& view) const;
  Events Decide(const RequestExtension& command, const v1::ComplaintView& view) const;
  Events Decide(const DecideExtension& command, const v1::ComplaintView& view) const;
  Events Decide(const Resolve& command, const v1::ComplaintView& view) const;
  // §3.1 resolves the complaint and, with the same result, each of its open
  // `duplicates` (their views; events naming them).
  Events Decide(const Resolve& command, const v1::ComplaintView& view,
                const std::vector<v1::ComplaintView>& duplicates) const;
  // A DuplicateLinked on each side (the primary's naming it); nothing when
  // linked so already. Refused (so no link makes a cycle): a link to itself,
  // to a primary that is a duplicate or that tracking does not know, from a
  // complaint linked elsewhere or with duplicates of its own, and unless
  // both are open.
  Events Decide(const LinkDuplicate& command, const v1::ComplaintView& duplicate,
                const v1::ComplaintView& primary) const;
  // A DuplicateUnlinked on each side; FAILED_PRECONDITION when the
  // complaint is no duplicate.
  Events Decide(const UnlinkDuplicate& command, const v1::ComplaintView& duplicate) const;
  Events Decide(const CommunicateResult& command, const v1::ComplaintView& view) const;
  Events Decide(const RecordFollowUp& command, const v1::ComplaintView& view) const;
  Events Decide(const RecordLongTermCheck& command, const v1::ComplaintView& view) const;
  Events Decide(const ArchiveComplaint& command, const v1::ComplaintView& view) const;
  // Nothing once checked or reminded; FAILED_PRECONDITION before its time or
  // unless closed.
  Events Decide(const RemindLongTermCheck& command, const v1::ComplaintView& view) const;
  Events Decide(const ReportStatus& command, const v1::ComplaintView& view) const;
  Events Decide(const RecordFeedback& command, const v1::ComplaintView& view) const;
  // A complaint closed or archived already decides nothing.
  Events Decide(const EndAtIntake& command, const v1::ComplaintView& view) const;
  // One ReceiverNotified; nothing once the complaint is closed.
  Events Decide(const NotifyReceiver& command, const v1::ComplaintView& view) const;

 private:
  HandlingDecider(v1::HandlingPolicy policy, const SlaBook* book, const BusinessCalendar* calendar)
      : policy_(std::move(policy)), book_(book), calendar_(calendar) {}
  // Reopened, then a DeadlinesSet for a new clock from `now`.
  Events Reopen(const v1::ComplaintView& view, const std::string& reason, absl::Time now,
                std::vector<v1::Envelope> before) const;

  v1::RuleRef PolicyRef() const;

  v1::HandlingPolicy policy_;
  const SlaBook* book_;
  const BusinessCalendar* calendar_;
};

}  // namespace complaints::tracking
