#pragma once
// complaintctl personal / export: a complaint's personal data unsealed by
// intake (§4.2), and a complainant's subject-access export (PIPL art. 45).
// Both need a reason, which intake records with the caller on the
// complaint's audit trail. Return the exit code (commands.h).

#include <string>

#include "tools/complaintctl/commands.h"

namespace complaints::ctl {

// complaintctl login: a sign-in token for the HTTP pages, issued by
// analytics to the caller's certificate identity for `ttl_minutes` (0: 15).
// Prints the token alone on standard output, its expiry on standard error.
int Login(const CtlOptions& options, int ttl_minutes);

int ShowPersonalData(const CtlOptions& options, const std::string& complaint_id,
                     const std::string& reason);

// Writes the export as JSON to `out` (created with mode 600; "-" or empty:
// standard output, refused when that is a terminal).
int ExportPersonalData(const CtlOptions& options, const std::string& complaint_id,
                       const std::string& reason, const std::string& out);

}  // namespace complaints::ctl
