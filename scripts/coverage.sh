#!/usr/bin/env bash
# Line coverage of the pure domain code (services/*/domain, libs/complaint):
# an instrumented build in build-coverage/ runs the unit tests, and gcovr
# prints the per-file table and the total. Fails below COMPLAINTS_MIN_COVERAGE
# percent (default 90).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build="${COMPLAINTS_COVERAGE_DIR:-$repo/build-coverage}"
minimum="${COMPLAINTS_MIN_COVERAGE:-90}"

cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCOMPLAINTS_COVERAGE=ON >/dev/null
targets=$(cd "$repo" && ls -d services/*/ | xargs -n1 basename | sed 's/$/_domain_test/')
cmake --build "$build" --target $targets complaint_test config_test -- -j "${COMPLAINTS_JOBS:-2}"
find "$build" -name '*.gcda' -delete
(cd "$build" && ctest -R '_domain_test|^complaint_test|^config_test' --output-on-failure)
gcovr --root "$repo" --object-directory "$build" \
  --filter "$repo/services/.*/domain/" --filter "$repo/libs/complaint/" \
  --exclude '.*_test\.cc' --exclude '.*/test_[a-z_]*\.h' \
  --print-summary --fail-under-line "$minimum" --txt -
