#pragma once
// Loopback helpers for tests.

namespace complaints::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick for port 0).
int FreePort();

}  // namespace complaints::testing
