#!/usr/bin/env bash
# The full test suite, in stages, each timed:
#   bootstrap     install what is missing (Debian packages, the broker's jars)
#   format        every C++ file as .clang-format says
#   build         warnings as errors
#   tests         ctest: unit, adapter (real RocksDB, gRPC, Kafka), e2e, crash,
#                 outage, poison
#   instrumented  unit and adapter tests again under ASan and UBSan, with the
#                 line coverage of the domain code (fails below 90 %)
#   fuzz          each libFuzzer target for 30 s from its seed corpus
# Exits non-zero when any stage fails. Extra arguments go to ctest (e.g.
# -L unit) and run only the first four stages.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build="${COMPLAINTS_BUILD_DIR:-$repo/build}"

timings=()
stage() {
  local name="$1"
  shift
  local started=$SECONDS rc=0
  echo "=== stage: $name"
  "$@" || rc=$?
  timings+=("$(printf '%-13s %4d s%s' "$name" $((SECONDS - started)) "$([ $rc -eq 0 ] || echo "  FAILED ($rc)")")")
  echo "=== stage: $name done in $((SECONDS - started)) s"
  if [ "$rc" -ne 0 ]; then
    printf '%s\n' "${timings[@]}"
  fi
  return "$rc"
}

run_tests() {
  (cd "$build" && ctest --output-on-failure --timeout 900 "$@") | tee "$build/ctest.log"
  return "${PIPESTATUS[0]}"
}

stage bootstrap bash "$here/bootstrap.sh"
stage format bash "$here/format.sh"
stage build env COMPLAINTS_WERROR=ON bash "$here/build.sh"
status=0
stage tests run_tests "$@" || status=$?
if [ "$#" -eq 0 ] && [ "$status" -eq 0 ]; then
  stage instrumented bash "$here/instrumented.sh"
  stage fuzz bash "$here/fuzz.sh" "${COMPLAINTS_FUZZ_SECONDS:-30}"
fi
echo "=== stage times"
printf '%s\n' "${timings[@]}"
# The suite's verdict as the last line.
summary="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$build/ctest.log" | tail -n 1)"
total="$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")"
failed="$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$summary")"
echo "ctest: $((total - failed)) passed, $failed failed"
exit "$status"
