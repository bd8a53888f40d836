#!/usr/bin/env bash
# Imports CASES (default 50,000) NYC 311 cases with complaintctl import-history
# into the broker and the four services, and prints cases per minute sent and
# with the whole pipeline caught up, and complaintctl's peak memory; outside
# CI's budget. Target: at least 20,000 cases per minute caught up.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${COMPLAINTS_BUILD_DIR:-$repo/build}"
bash "$repo/scripts/build.sh" >/dev/null
COMPLAINTS_SOURCE_DIR="$repo" COMPLAINTS_BINARY_DIR="$build" \
  exec "$build/bench/history_import_bench" "${1:-50000}"
