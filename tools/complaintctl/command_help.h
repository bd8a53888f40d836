#pragma once
// `complaintctl COMMAND --help`: one command's synopsis, what it does, the
// flags it reads (with their help and defaults, taken from the flags
// themselves) and an example to copy.

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace complaints::ctl {

struct CommandHelp {
  std::string name;
  std::string synopsis;  // after "complaintctl "
  std::string summary;
  std::vector<std::string> flags;  // flag names without "--"
  std::string example;
  bool calls_services = true;  // takes --as and the other caller flags
};

// Every command complaintctl runs.
const std::vector<CommandHelp>& CommandHelps();

// The help text for `command`; NOT_FOUND for a command complaintctl does not
// have, INTERNAL when the table names a flag the binary does not define.
absl::StatusOr<std::string> CommandHelpText(const std::string& command);

}  // namespace complaints::ctl
