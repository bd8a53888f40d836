#!/usr/bin/env bash
# Twenty concurrent 24 MB evidence uploads into a real intake (a release
# build), printing intake's resident memory before, at its peak and after;
# outside CI's budget. Target: a peak under 300 MiB.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${COMPLAINTS_BUILD_DIR:-$repo/build}"
bash "$repo/scripts/build.sh" >/dev/null
COMPLAINTS_SOURCE_DIR="$repo" COMPLAINTS_BINARY_DIR="$build" \
  exec "$build/bench/upload_memory_bench"
