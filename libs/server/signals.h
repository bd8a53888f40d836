#pragma once
// Graceful shutdown: the process blocks SIGTERM and SIGINT in every thread
// and waits for them in one place.

namespace complaints {

// REQUIRES: called in main() before any thread starts, so threads inherit the mask.
void BlockTerminationSignals();

// Blocks until SIGTERM or SIGINT arrives; returns the signal number.
int WaitForTerminationSignal();

}  // namespace complaints
