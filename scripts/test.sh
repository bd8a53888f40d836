#!/usr/bin/env bash
# The full test suite: installs what is missing, builds with warnings as
# errors, and runs every test with ctest — unit, adapter (real RocksDB, real
# gRPC, a real Kafka broker), end-to-end, crash and outage — then reports the
# line coverage of the domain code. Exits non-zero when any test fails or
# coverage is below 90 %. Extra arguments go to ctest (e.g. -L unit) and skip
# the coverage run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build="${COMPLAINTS_BUILD_DIR:-$repo/build}"

bash "$here/bootstrap.sh"
COMPLAINTS_WERROR=ON bash "$here/build.sh"
(cd "$build" && ctest --output-on-failure --timeout 900 "$@") | tee "$build/ctest.log"
# Line coverage of the pure domain code, from an instrumented build (fails below 90 %).
if [ "$#" -eq 0 ]; then bash "$here/coverage.sh"; fi
# The suite's verdict as the last line, after the coverage table.
summary="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$build/ctest.log" | tail -n 1)"
total="$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")"
failed="$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$summary")"
echo "ctest: $((total - failed)) passed, $failed failed"
