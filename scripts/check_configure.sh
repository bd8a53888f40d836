#!/usr/bin/env bash
# The bring-up's build (deploy/local/up.sh: no tests, no benchmarks) must
# configure. A CMake call on a test target outside `if(COMPLAINTS_TESTS)`
# breaks the README's first command while the test build stays green.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
if ! cmake -S "$repo" -B "$dir/build" -G Ninja -DCOMPLAINTS_TESTS=OFF -DCOMPLAINTS_BENCH=OFF \
  >"$dir/cmake.log" 2>&1; then
  grep -A8 "CMake Error" "$dir/cmake.log" >&2 || cat "$dir/cmake.log" >&2
  echo "configure: the bring-up's build (COMPLAINTS_TESTS=OFF) does not configure" >&2
  exit 1
fi
echo "configure: the bring-up's build (no tests, no benchmarks) configures"
