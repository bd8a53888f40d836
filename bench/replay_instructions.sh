#!/usr/bin/env bash
# Instructions per consumed record in each consumer's applier, counted by
# callgrind while dispatch, tracking and analytics rebuild from the topics.
# A count, not a time: on this shared machine a timed comparison of two
# builds moves by a third between runs, while this one repeats within 0.3 %
# for dispatch and tracking (analytics' incident baselines depend on the
# day, so its figure moves by a few per cent). Use it to compare two builds:
#   bench/replay_instructions.sh [BINARY_DIR] [COMPLAINTS]
# BINARY_DIR (default build/) holds the services to measure; COMPLAINTS
# (default 1500) are submitted at full rate first, with no warm-up. The
# replayed services run under valgrind (20-50 times slower), catching up
# topic by topic (--replay_lag=100), which is deterministic; only
# ConsumedApplier::Apply and what it calls are counted. About 3 minutes.
# CALLGRIND_KEEP=DIR keeps each service's callgrind file there, for
#   callgrind_annotate --inclusive=yes DIR/<service>.cg
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$(cd "${1:-$repo/build}" && pwd)"
complaints="${2:-1500}"
command -v valgrind >/dev/null || apt-get install -y -q valgrind >/dev/null
work="$(mktemp -d /tmp/replay-instructions-XXXXXX)"
trap 'rm -rf "$work"' EXIT

# A binary dir like $bin whose consumers start plainly the first time (the
# live run) and under callgrind the second (the replay after their stores
# are removed).
cp -as "$bin/." "$work/bin/"
mkdir -p "$work/real"
for s in dispatch tracking analytics; do
  cp "$bin/services/$s/$s" "$work/real/$s"
  rm "$work/bin/services/$s/$s"
  cat >"$work/bin/services/$s/$s" <<EOF
#!/usr/bin/env bash
if [ -e "$work/$s.started" ]; then
  exec valgrind --tool=callgrind --callgrind-out-file="$work/$s.cg" --collect-atstart=no \
    '--toggle-collect=complaints::ConsumedApplier::Apply(std::vector<complaints::ConsumedRecord, std::allocator<complaints::ConsumedRecord> > const&, complaints::Durability)' \
    '--toggle-collect=complaints::CheckAhead::Work()' \
    "$work/real/$s" "\$@" --replay_lag=100
fi
touch "$work/$s.started"
exec "$work/real/$s" "\$@"
EOF
  chmod +x "$work/bin/services/$s/$s"
done

COMPLAINTS_SOURCE_DIR="$repo" COMPLAINTS_BINARY_DIR="$work/bin" timeout 1200 \
  "$repo/build/bench/pipeline_bench" --phases=full,replay --warmup=0 \
  --complaints="$complaints" >"$work/pipeline.log" 2>&1 || {
  tail -20 "$work/pipeline.log"
  exit 1
}
for s in dispatch tracking analytics; do
  records="$(sed -n "s/.*replay: $s rebuilt from \([0-9]*\) records.*/\1/p" "$work/pipeline.log")"
  total="$(callgrind_annotate "$work/$s.cg" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)"
  if [ -z "$records" ] || [ -z "$total" ]; then
    echo "$s: no replay measured (see the pipeline log above)" >&2
    tail -20 "$work/pipeline.log"
    exit 1
  fi
  printf '[figures] replay instructions: %s %d records, %d instructions per record in the applier\n' \
    "$s" "$records" "$((total / records))"
  if [ -n "${CALLGRIND_KEEP:-}" ]; then
    mkdir -p "$CALLGRIND_KEEP"
    cp "$work/$s.cg" "$CALLGRIND_KEEP/$s.cg"
  fi
done
