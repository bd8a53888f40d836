#pragma once
// §4.2 cases from the centre's previous system (ImportCase): what an import
// must carry to be recorded, as a submission plus the history the other
// services decide their part from. Pure.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/intake.pb.h"

namespace complaints::intake {

inline constexpr size_t kMaxSourceSystemChars = 40;
inline constexpr size_t kMaxSourceIdChars = 64;
inline constexpr size_t kMaxOrgNameChars = 100;  // department, team, handler, category
inline constexpr size_t kMaxStatusChars = 64;
inline constexpr size_t kMaxClosureChars = 5000;
// The most a source's closed time may precede its opening and be imported
// moved to the opening (HistoryMapping.closed_before_opened_tolerance).
inline constexpr absl::Duration kMaxClosedBeforeOpened = absl::Hours(24);
// The classification rule an imported category is recorded under.
inline constexpr char kImportRule[] = "import";

// A checked import: the case as a submission (its occurred time the opening
// time), the category the source named (empty: classify from the text) and
// its history, stamped with the time of the import.
struct ImportedCase {
  v1::SubmitComplaintRequest submission;
  std::string category;
  v1::HistoricalCase history;
};

// "import:<source_system>:<source_id>": the key that makes a second import
// of the same case record nothing, ever.
std::string ImportKey(const v1::HistoricalCase& history);

// INVALID_ARGUMENT naming the first bad field ("history.closed_at", "content",
// …): the submission's checks with the complainant optional; source system
// and id required (no ':' in the system); opened between 2000-01-01 and
// `now`, target not before opened, closed not before opened nor after `now`
// and present exactly when the case is closed; a source_closed_at only with
// closed_at moved to opened_at, and before it by at most
// kMaxClosedBeforeOpened; satisfaction 0–5; every text within its limit.
// imported_at is set to `now`.
absl::StatusOr<ImportedCase> CleanImport(v1::ImportCaseRequest request, absl::Time now);

}  // namespace complaints::intake
