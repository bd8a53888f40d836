#!/usr/bin/env bash
# One clock (docs/contributing.md): wall time is read only through the
# injected Clock, and waits through the MonotonicClock, both in
# libs/core/clock. Fails on a direct reading of the system's wall clock
# (absl::Now(), std::chrono::system_clock::now()) anywhere else in C++
# source, tests and benchmarks included, and prints where.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
found=$(git ls-files -z -- '*.cc' '*.h' ':!libs/core/clock.h' ':!libs/core/clock.cc' |
  xargs -0 grep -nE '(absl::Now|system_clock::now)\(\)' || true)
if [[ -n "$found" ]]; then
  echo "$found"
  echo "clock: read the time through libs/core/clock (Clock, MonotonicClock, WallNow), not directly"
  exit 1
fi
echo "clock: every reading of wall time goes through libs/core/clock"
