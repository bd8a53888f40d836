#!/usr/bin/env bash
# Prints each service's RocksDB size per 10k complaints after COMPLAINTS
# (default 10,000) went through the whole platform; outside CI's budget.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${COMPLAINTS_BUILD_DIR:-$repo/build}"
bash "$repo/scripts/build.sh" >/dev/null
COMPLAINTS_SOURCE_DIR="$repo" COMPLAINTS_BINARY_DIR="$build" exec "$build/bench/disk_usage" "${1:-10000}"
