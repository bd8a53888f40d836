#!/usr/bin/env bash
# Configures and builds with Ninja into build/: everything, or the targets
# given as arguments.
#   build.sh [TARGET...]
# COMPLAINTS_WERROR=ON (set by CI) turns warnings into errors;
# COMPLAINTS_TESTS=OFF / COMPLAINTS_BENCH=OFF leave out the tests (and what
# only they need) / the benchmarks; COMPLAINTS_BUILD_DIR and
# COMPLAINTS_CMAKE_ARGS choose another tree and options (the test command's
# instrumented build).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build="${COMPLAINTS_BUILD_DIR:-$repo/build}"

# ccache (a Debian package the bootstrap installs) makes a rebuild after a
# small change, and the coverage and sanitizer builds of the same sources, cheap.
launcher="$(command -v ccache || true)"
cmake -S "$repo" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" \
  -DCOMPLAINTS_WERROR="${COMPLAINTS_WERROR:-OFF}" -DCOMPLAINTS_TESTS="${COMPLAINTS_TESTS:-ON}" \
  -DCOMPLAINTS_BENCH="${COMPLAINTS_BENCH:-ON}" ${COMPLAINTS_CMAKE_ARGS:-} \
  ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher"} >/dev/null
# Two cores and large generated protobuf units: two jobs keep memory and time sane.
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build "$build" "${targets[@]}" -- -j "${COMPLAINTS_JOBS:-2}"
