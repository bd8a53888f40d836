#!/usr/bin/env bash
# Brings the whole platform up on this machine: installs what is missing,
# builds, starts a local Kafka broker and the four services, and loads the
# sample complaints. Running it again restarts nothing that is running and
# loads nothing twice. Stop everything with deploy/local/down.sh.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

# The centre's zone, the one source of every day boundary (figures, the
# business calendar, bare dates given to complaintctl).
time_zone="${COMPLAINTS_TIME_ZONE:-Asia/Shanghai}"

# Only what running needs: the four services, complaintctl, complaints-topics
# and the dashboard (the test command installs and builds the rest).
bash "$repo/scripts/bootstrap.sh" run
COMPLAINTS_TESTS=OFF COMPLAINTS_BENCH=OFF bash "$repo/scripts/build.sh" \
  intake dispatch tracking analytics complaintctl complaints-topics dashboard
mkdir -p "$run_dir/logs"
bash "$repo/scripts/pki.sh" local "$pki_dir"
# Intake's key-encryption key and the secret of the keyed hash that names a
# complainant: made once, kept with the run (docs/security.md).
mkdir -p "$keys_dir" && chmod 700 "$keys_dir"
for key in kek subject_secret token_key; do
  if [ ! -s "$keys_dir/$key" ]; then
    (umask 077 && echo "local-$key-1 $(openssl rand -hex 32)" >"$keys_dir/$key")
  fi
done
# Each writer's record key: a service signs what it publishes with its own
# and verifies what it reads with all four (docs/security.md).
upgrading=0
if [ ! -d "$writers_dir" ] && [ -d "$run_dir/intake" ]; then upgrading=1; fi
mkdir -p "$writers_dir" && chmod 700 "$writers_dir"
for writer in "${services[@]}"; do
  if [ ! -s "$writers_dir/$writer.keys" ]; then
    (umask 077 && echo "local-$writer-1 $(openssl rand -hex 32)" >"$writers_dir/$writer.keys")
  fi
done
bash "$repo/deploy/local/kafka.sh" start
ctl topics >/dev/null
# A .run/ from before records were signed: what the topics hold was written
# unsigned, and is read as such below the offsets marked now (the services
# are stopped: down.sh first).
if [ "$upgrading" = 1 ] && [ ! -f "$unauthenticated_file" ]; then
  "$build_dir/tools/topic_backup/complaints-topics" --brokers="$brokers" --kafka_user=admin \
    --kafka_password_file="$KAFKA_DATA_DIR/users/admin.password" \
    mark-authentication "$unauthenticated_file"
fi

if [ -f "$run_dir/smtp.pid" ] && kill -0 "$(cat "$run_dir/smtp.pid")" 2>/dev/null; then
  echo "[up] mail catcher already running (pid $(cat "$run_dir/smtp.pid"))"
else
  nohup /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" \
    -c aiosmtpd.handlers.Mailbox "$run_dir/mail" >>"$run_dir/logs/smtp.log" 2>&1 </dev/null &
  echo $! >"$run_dir/smtp.pid"
  echo "[up] mail catcher on 127.0.0.1:$smtp_port (pid $!, mail in $run_dir/mail/new)"
fi

for service in "${services[@]}"; do
  pid_file="$run_dir/$service.pid"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    echo "[up] $service already running (pid $(cat "$pid_file"))"
    continue
  fi
  nohup "$build_dir/services/$service/$service" \
    --listen="127.0.0.1:${service_port[$service]}" --brokers="$brokers" \
    --status_listen="127.0.0.1:${status_port[$service]}" \
    --data_dir="$run_dir/$service" --config_dir="$repo/config" $(tls_flags "$service") \
    --time_zone="$time_zone" \
    --backup_dir="$run_dir/backups/$service" --backup_every=6h --backup_keep=4 \
    $(kafka_flags "$service") $(record_flags) \
    ${service_flags[$service]} \
    >>"$run_dir/logs/$service.log" 2>&1 </dev/null &
  echo $! >"$pid_file"
  echo "[up] $service started on 127.0.0.1:${service_port[$service]}, status on :${status_port[$service]} (pid $!, log $run_dir/logs/$service.log)"
done

ctl --as=ops/oncall --timeout_seconds=60 wait-ready
echo "[up] loading sample complaints (as the call centre's system)"
ctl --as=system/call-centre import "$repo/deploy/local/sample-complaints.jsonl"
# Give dispatch, tracking and analytics a moment to catch up before showing counts.
sleep 2
ctl --as=he counts
dashboard="http://127.0.0.1:${ANALYTICS_HTTP_PORT:-8084}/dashboard/"
dashboard_token="$(ctl --as=he login 2>/dev/null)"
cat <<HINT

The analysts' dashboard (signed in as the analyst he for 15 minutes; later,
paste a fresh token from 'complaintctl --as he login' into its sign-in form):
  $dashboard#token=$dashboard_token

The platform is up, over mTLS only: every call needs a certificate from
the local CA in $pki_dir. complaintctl picks one with --as. Try:
  build/tools/complaintctl/complaintctl --as he counts            # an analyst
  build/tools/complaintctl/complaintctl --as li list              # a clerk
  build/tools/complaintctl/complaintctl --as li show <complaint id>
  ls .run/mail/new        # the e-mail intake sent complainants who wrote by e-mail
  # The analysts' HTTP/JSON API, with a sign-in token:
  curl -H "Authorization: Bearer \$(build/tools/complaintctl/complaintctl --as he login)" \
    http://127.0.0.1:${ANALYTICS_HTTP_PORT:-8084}/api/v1/figures?group_by=FIGURE_DIMENSION_CATEGORY
  # Each service's health and Prometheus metrics (plain HTTP, no personal data):
  curl http://127.0.0.1:${status_port[intake]}/metrics   # intake; dispatch :${status_port[dispatch]}, tracking :${status_port[tracking]}, analytics :${status_port[analytics]}
Stop it with: deploy/local/down.sh
HINT
