#pragma once
// complaintctl's staff commands (§3.1–§5.2): each sends one dispatch or tracking command
// as the caller its certificate names (--as, --cert), and prints what the
// complaint became. Returns the exit code: 0, 1 when the call failed (the
// status printed to stderr), 2 on bad usage.

#include <string>

#include "complaints/v1/tracking.pb.h"
#include "tools/complaintctl/commands.h"

namespace complaints::ctl {

// Everything a staff command may take from the command line.
struct StaffArgs {
  std::string key;  // --key; default: generated, so a retry must pass it again
  std::string text, reason, outcome, solution, prevention, comments, note, message, kind;
  std::string department, handler;  // assign, transfer, reject
  std::string primary;              // link-duplicate: the complaint it duplicates
  std::string category, priority;   // reclassify (P1..P4)
  bool unanswered = false;          // verify: nobody answered this attempt
  std::string channel = "phone";
  std::string target = "resolve";  // respond | resolve | communicate | follow-up
  int64_t minutes = 0;
  int satisfaction = 0;
  bool recurred = false;
  bool reject = false;  // decide-extension: refuse instead of approve
};

// True for the names Staff takes.
bool IsStaffCommand(const std::string& command);

int Staff(const CtlOptions& options, const std::string& command, const std::string& complaint_id,
          const StaffArgs& args);

// The work queue (tracking's ListComplaints) with its filters, every page.
int ListQueue(const CtlOptions& options, const v1::ListComplaintsRequest& request);

// Follows a department's (or person's) assignment changes after `cursor`,
// one line each as they come (each line's cursor with --json); stops after
// `count` changes (0: when interrupted).
int Watch(const CtlOptions& options, const std::string& department, const std::string& handler,
          const std::string& cursor, int count);

// A department's (or one person's) current assignments, every page.
int Assignments(const CtlOptions& options, const std::string& department,
                const std::string& handler, bool include_closed);

}  // namespace complaints::ctl
