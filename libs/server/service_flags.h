#pragma once
// Flags every service binary takes; read only from main().

#include <string>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/server/runtime.h"

ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, brokers);
ABSL_DECLARE_FLAG(std::string, data_dir);
ABSL_DECLARE_FLAG(std::string, config_dir);
ABSL_DECLARE_FLAG(int, partitions);
ABSL_DECLARE_FLAG(std::string, time_zone);
ABSL_DECLARE_FLAG(std::string, instance_id);
ABSL_DECLARE_FLAG(absl::Duration, park_timeout);
ABSL_DECLARE_FLAG(absl::Duration, key_retention);
ABSL_DECLARE_FLAG(bool, insecure);

namespace complaints {

// RuntimeOptions for `service` from the flags above.
RuntimeOptions RuntimeOptionsFromFlags(const std::string& service);

// The centre's zone (--time_zone); INVALID_ARGUMENT naming the flag for a
// zone this machine does not know.
absl::StatusOr<absl::TimeZone> CentreZone();

// What every service main() does first: block termination signals (before any
// thread starts), parse flags, start JSON logging, and read the runtime
// options with the access policy and TLS files. INVALID_ARGUMENT when a
// required flag is missing, the zone unknown, or the policy or a certificate
// file is unusable.
absl::StatusOr<RuntimeOptions> BeginService(int argc, char** argv, const std::string& service);

}  // namespace complaints
