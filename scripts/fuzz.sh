#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang (AddressSanitizer and
# UndefinedBehaviorSanitizer on) into build-fuzz/, and runs each for SECONDS
# (default 30) from the seed corpus in fuzz/corpus/<target>/. New inputs go to
# a scratch copy, never into the repository; a crash leaves its input under
# build-fuzz/artifacts/. Prints executions and crashes per target; exits
# non-zero when any target crashed.
#   scripts/fuzz.sh          # the test command's short run
#   scripts/fuzz.sh 1800     # a long campaign
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build="${COMPLAINTS_FUZZ_DIR:-$repo/build-fuzz}"
seconds="${1:-30}"
targets=(fuzz_submission fuzz_text fuzz_envelope fuzz_view)

launcher="$(command -v ccache || true)"
CC=clang-14 CXX=clang++-14 cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCOMPLAINTS_FUZZ=ON ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher"} >/dev/null
cmake --build "$build" --target "${targets[@]}" -- -j "${COMPLAINTS_JOBS:-2}"

mkdir -p "$build/artifacts"
# One target per core at a time: 30 s each still, in half the wall time.
jobs="${COMPLAINTS_JOBS:-2}"
run_target() {
  local target="$1" scratch status=0
  scratch="$(mktemp -d)"
  cp "$repo/fuzz/corpus/$target/"* "$scratch/"
  "$build/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$build/artifacts/$target-" "$scratch" >"$build/$target.log" 2>&1 || status=$?
  ls "$scratch" | wc -l >"$build/$target.corpus"
  rm -rf "$scratch"
  echo "$status" >"$build/$target.status"
}
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
  run_target "$target" &
done
wait

crashed=0
for target in "${targets[@]}"; do
  log="$build/$target.log"
  status="$(cat "$build/$target.status")"
  execs="$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)"
  if [ "$status" -ne 0 ]; then
    crashed=$((crashed + 1))
    echo "[figures] fuzz: $target $execs executions in ${seconds} s, CRASHED (exit $status); see $log"
    grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5
  else
    echo "[figures] fuzz: $target $execs executions in ${seconds} s, corpus $(cat "$build/$target.corpus") inputs, 0 crashes"
  fi
done
exit "$crashed"
