#!/usr/bin/env bash
# The line coverage of the pure domain code (services/*/domain,
# libs/complaint) from the .gcda files a coverage build's test run left in
# BUILD_DIR (default build-instrumented/); fails below
# COMPLAINTS_MIN_COVERAGE percent (default 90).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build="${1:-$repo/build-instrumented}"
minimum="${COMPLAINTS_MIN_COVERAGE:-90}"
gcovr --root "$repo" --object-directory "$build" \
  --filter "$repo/services/.*/domain/" --filter "$repo/libs/complaint/" \
  --exclude '.*_test\.cc' --exclude '.*/test_[a-z_]*\.h' \
  --print-summary --fail-under-line "$minimum" --txt -
