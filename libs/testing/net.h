#pragma once
// Loopback helpers for tests.

namespace complaints::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick for
// port 0), never one this process was given before: the kernel may pick a
// port again once its probe socket is closed, and two services told the same
// port would see one of them fail to listen while the other answers for it.
int FreePort();

}  // namespace complaints::testing
