#pragma once
// How complaintctl prints answers: readable text by default, JSON with --json.

#include <string>

#include "absl/status/statusor.h"
#include "complaints/v1/admin.pb.h"
#include "complaints/v1/analytics.pb.h"
#include "complaints/v1/dispatch.pb.h"
#include "complaints/v1/intake.pb.h"
#include "complaints/v1/tracking.pb.h"

namespace complaints::ctl {

// One JSON object on one line (proto3 JSON mapping, field names as in the
// .proto, every scalar field printed even when zero; control characters
// escaped). INTERNAL when the message has no JSON
// form (e.g. a timestamp outside years 1–9999): then nothing is printed.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

std::string FormatSubmitted(const v1::SubmitComplaintResponse& response);
std::string FormatTimeline(const v1::GetComplaintResponse& timeline);
std::string FormatCounts(const v1::GetCountsResponse& counts);
// §4.2 the chains' verdict per writer, then one line per entry: when, who
// (in which role), what.
std::string FormatAuditTrail(const v1::GetAuditTrailResponse& trail);
// One line per group: its dimensions, then volumes, times and rates.
std::string FormatFigures(const v1::GetFiguresResponse& figures);
// What resolving an incident did: each complaint resolved, each skipped and why.
std::string FormatIncidentResolution(const v1::ResolveIncidentResponse& response);
// Incidents, the latest first.
std::string FormatIncidents(const v1::ListIncidentsResponse& incidents);
// Hot issues, one line each, grouped by community as they come.
std::string FormatHotIssues(const v1::GetHotIssuesResponse& hot);
// A projection: the chosen model and how it backtested, then one line per period.
std::string FormatProjection(const v1::GetProjectionResponse& projection);
// Text that came from outside (content, names, reasons) is escaped for the
// terminal: a control character prints as \u{001B}, never as itself.
std::string FormatStatus(const v1::GetStatusResponse& status);
std::string FormatDeadLetters(const v1::ListDeadLettersResponse& page);
// One line per backup: id, time taken, size, files.
std::string FormatBackups(const google::protobuf::RepeatedPtrField<v1::Backup>& backups);
std::string FormatDeadLetter(const v1::DeadLetter& letter);

// What a staff command left the complaint as, on one line.
std::string FormatOutcome(const v1::CommandOutcome& outcome);

// A work-queue page one complaint per line (with a column header when `header`).
std::string FormatWorkItems(const v1::ListComplaintsResponse& page, bool header);

// Assignments one per line (with a column header when `header`).
std::string FormatAssignments(const v1::ListAssignmentsResponse& page, bool header);
// One line per change a watch delivers: when, what, which complaint, who, why.
std::string FormatAssignmentChange(const v1::WatchAssignmentsResponse& change);

// phone | email | letter | walk-in | app; CHANNEL_UNSPECIFIED for anything else.
v1::Channel ParseChannel(const std::string& name);

// RFC 3339 in UTC, or "none" for a time that was never set (the zero
// timestamp, which no complaint's time can be).
std::string TimeOrNone(const google::protobuf::Timestamp& time);

// "P1".."P4", or "-" when unspecified.
std::string PriorityLabel(v1::Priority priority);

}  // namespace complaints::ctl
