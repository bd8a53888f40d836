#pragma once
// What every service main() does around its own wiring.

#include <cstdio>
#include <string>

#include "absl/status/status.h"

namespace complaints {

// Prints `status` as "<service>: <message>" to stderr and returns exit code 1.
inline int Fail(const std::string& service, const absl::Status& status) {
  std::fprintf(stderr, "%s: %s\n", service.c_str(), status.ToString().c_str());
  return 1;
}

}  // namespace complaints
