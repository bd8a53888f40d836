#!/usr/bin/env bash
# The full test suite, in stages, each timed:
#   bootstrap     install what is missing (bootstrap.sh test: what running
#                 needs and the test tools)
#   format        every C++ file as .clang-format says
#   lint          the schema under buf's STANDARD rules (scripts/lint_proto.sh)
#                 every RPC in its README and every § in docs/procedure.md
#                 (scripts/check_docs.sh), commit messages (scripts/check_commits.sh),
#                 wall time read only through libs/core/clock (scripts/check_clock.sh),
#                 the bring-up's build configures (scripts/check_configure.sh)
#   build         one instrumented build (gcc, build-instrumented/): warnings
#                 as errors, AddressSanitizer, UndefinedBehaviorSanitizer and
#                 line coverage; every test below runs on it
#   unit+adapter  ctest -L 'unit|adapter', two at a time: deciders, real
#                 RocksDB, gRPC, Kafka
#   coverage      the domain code's line coverage from that run (fails below 90 %)
#   system        the rest of ctest: e2e, crash, outage, poison, bad input,
#                 rebuild — the four services as processes, still sanitized
#   fuzz          each libFuzzer target for 30 s from its seed corpus; it is
#                 built and run on one core alongside the system stage (whose
#                 tests run one at a time and leave the other core mostly
#                 idle), and its stage waits for what is left
# Any sanitizer finding fails the test it happens in (scripts/lsan.supp lists
# the one third-party leak report left out, and why). Exits non-zero when any
# stage fails. Extra arguments go to ctest (e.g. -L unit) instead of the
# last four stages.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build="${COMPLAINTS_BUILD_DIR:-$repo/build-instrumented}"

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

logs=()
run_tests() {
  local log="$build/ctest-${#logs[@]}.log"
  logs+=("$log")
  (cd "$build" && ctest --output-on-failure --timeout 900 "$@") | tee "$log"
  return "${PIPESTATUS[0]}"
}

fuzz_log="$build/fuzz-stage.log"
fuzz_pid=""
start_fuzz() {
  mkdir -p "$build"
  (
    started=$SECONDS rc=0
    COMPLAINTS_JOBS=1 bash "$here/fuzz.sh" "${COMPLAINTS_FUZZ_SECONDS:-30}" || rc=$?
    echo "[fuzz] built and ran in $((SECONDS - started)) s alongside the system stage"
    exit "$rc"
  ) >"$fuzz_log" 2>&1 &
  fuzz_pid=$!
}
finish_fuzz() {
  local rc=0
  wait "$fuzz_pid" || rc=$?
  cat "$fuzz_log"
  return "$rc"
}

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"

stage bootstrap bash "$here/bootstrap.sh" test
stage format bash "$here/format.sh"
stage lint bash -c "bash \"$here/lint_proto.sh\" && bash \"$here/check_docs.sh\" && bash \"$here/check_commits.sh\" && bash \"$here/check_clock.sh\" && bash \"$here/check_configure.sh\""
stage build env COMPLAINTS_WERROR=ON COMPLAINTS_BUILD_DIR="$build" CMAKE_BUILD_TYPE=Debug \
  COMPLAINTS_CMAKE_ARGS="-DCOMPLAINTS_COVERAGE=ON -DCOMPLAINTS_SANITIZE=ON -DCOMPLAINTS_BENCH=OFF" \
  bash "$here/build.sh"
find "$build" -name '*.gcda' -delete
status=0
if [ "$#" -gt 0 ]; then
  stage tests run_tests "$@" || status=$?
else
  stage unit+adapter run_tests -L 'unit|adapter' --parallel 2 || status=$?
  if [ "$status" -eq 0 ]; then stage coverage bash "$here/coverage.sh" "$build" || status=$?; fi
  if [ "$status" -eq 0 ]; then
    start_fuzz
    stage system run_tests -LE 'unit|adapter' || status=$?
    stage fuzz finish_fuzz || status=$?
  fi
fi
echo "=== stage times"
printf '%s\n' "${timings[@]}"
# The suite's verdict as the last line, over every ctest run.
passed=0 failed=0
for log in "${logs[@]}"; do
  summary="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)"
  [ -n "$summary" ] || continue
  total="$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")"
  lost="$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$summary")"
  passed=$((passed + total - lost))
  failed=$((failed + lost))
done
echo "ctest: $passed passed, $failed failed"
exit "$status"
