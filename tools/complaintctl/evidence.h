#pragma once
// complaintctl evidence: upload a file to a complaint (§2.2) and fetch one
// back by its SHA-256. Returns the exit code (commands.h).

#include <string>

#include "tools/complaintctl/commands.h"

namespace complaints::ctl {

// Streams FILE to intake's AttachEvidence as the caller; prints what was
// recorded (name, SHA-256, size, media type read from the content).
int AddEvidence(const CtlOptions& options, const std::string& key, const std::string& complaint_id,
                const std::string& path, const std::string& description);

// Writes the file to `out` (a path; "-" or empty: standard output, refused
// when that is a terminal).
int GetEvidence(const CtlOptions& options, const std::string& complaint_id,
                const std::string& sha256, const std::string& out);

}  // namespace complaints::ctl
