#!/usr/bin/env bash
# Stops the four services gracefully (SIGTERM: they drain calls, consumers and
# the outbox), then the mail catcher and the local Kafka broker. State stays in .run/ for the
# next up.sh; delete .run/ to start from nothing.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

for service in "${services[@]}"; do
  pid_file="$run_dir/$service.pid"
  [ -f "$pid_file" ] || continue
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "[down] $service did not stop in 15 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "[down] $service stopped"
  fi
  rm -f "$pid_file"
done
if [ -f "$run_dir/smtp.pid" ]; then
  kill -TERM "$(cat "$run_dir/smtp.pid")" 2>/dev/null || true
  rm -f "$run_dir/smtp.pid"
  echo "[down] mail catcher stopped"
fi
bash "$repo/deploy/local/kafka.sh" stop
