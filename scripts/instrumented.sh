#!/usr/bin/env bash
# One instrumented build (gcc, in build-instrumented/) serves two checks: the
# unit and adapter tests run under AddressSanitizer and
# UndefinedBehaviorSanitizer (any finding fails the test), and the same run's
# line coverage of the pure domain code (services/*/domain, libs/complaint) is
# reported by gcovr, failing below COMPLAINTS_MIN_COVERAGE percent (default 90).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build="${COMPLAINTS_INSTRUMENTED_DIR:-$repo/build-instrumented}"
minimum="${COMPLAINTS_MIN_COVERAGE:-90}"

launcher="$(command -v ccache || true)"
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCOMPLAINTS_COVERAGE=ON \
  -DCOMPLAINTS_SANITIZE=ON ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher"} >/dev/null
targets=$(cd "$build" && ctest -N -L 'unit|adapter' | sed -nE 's/^ *Test +#[0-9]+: +([a-z_]+)$/\1/p')
cmake --build "$build" --target $targets -- -j "${COMPLAINTS_JOBS:-2}"
find "$build" -name '*.gcda' -delete
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
(cd "$build" && ctest -L 'unit|adapter' --output-on-failure --timeout 600)
gcovr --root "$repo" --object-directory "$build" \
  --filter "$repo/services/.*/domain/" --filter "$repo/libs/complaint/" \
  --exclude '.*_test\.cc' --exclude '.*/test_[a-z_]*\.h' \
  --print-summary --fail-under-line "$minimum" --txt -
