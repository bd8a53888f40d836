#pragma once
// complaintctl import-history --mapping M FILE: the previous system's cases
// into the platform (Intake.ImportCase), streamed — the file is read one row
// at a time while up to --concurrency cases are on their way — with a
// progress bar (on a terminal) and a summary. Every bad row is reported on
// stderr as "row N (line L), column C: reason" and the rest are imported;
// with --strict the import stops at the first. A case imported before
// records nothing. Exit code 0 when every row was imported or was already,
// 1 when any row was bad or failed, 2 on bad usage (mapping, file, header).

#include <string>

#include "tools/complaintctl/commands.h"

namespace complaints::ctl {

struct ImportHistoryOptions {
  std::string mapping_path;
  std::string file;
  bool strict = false;
  bool dry_run = false;  // read and map every row, send nothing
  int concurrency = 16;
  bool progress = false;
};

int ImportHistory(const CtlOptions& options, const ImportHistoryOptions& import);

}  // namespace complaints::ctl
