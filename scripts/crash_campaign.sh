#!/usr/bin/env bash
# The long crash campaign, outside CI's budget: TRIALS (default 100) seeded
# kill -9 trials over intake, dispatch, tracking, analytics and the Kafka
# broker while complaints flow, each followed by an exactness check. Prints a
# line per trial and the totals (trials, complaints, lost, doubled). Flags
# after the seed go to every service: --replay_lag=1 puts the kills in the
# replays every restart then runs.
#   scripts/crash_campaign.sh [TRIALS] [SEED] [SERVICE FLAG...]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${COMPLAINTS_BUILD_DIR:-$repo/build}"
bash "$repo/scripts/build.sh" >/dev/null
COMPLAINTS_SOURCE_DIR="$repo" COMPLAINTS_BINARY_DIR="$build" \
  exec "$build/bench/crash_campaign" "${1:-100}" "${2:-20261126}" "${@:3}"
