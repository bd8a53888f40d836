#!/usr/bin/env bash
# A single-node Apache Kafka 3.9 broker in KRaft mode on loopback, secured:
# clients authenticate with SASL/SCRAM-SHA-512 (one user per service, plus
# `admin` for topics and ACLs), the controller listener with
# SASL/PLAIN, and the StandardAuthorizer denies whatever no ACL allows
# (`complaintctl topics`, run as admin, writes the ACLs: each service writes
# only its own topics and reads only what it consumes). Passwords are random,
# made at the first start, one file per user in $KAFKA_DATA_DIR/users/
# (mode 600): a service reads its own with --kafka_password_file.
#
#   kafka.sh fetch    resolve the broker's jars from Maven Central (cached)
#   kafka.sh start    format the data folder if new, start, wait until ready
#   kafka.sh stop     stop gracefully (SIGTERM, then SIGKILL after 30 s)
#   kafka.sh status   exit 0 when the broker answers on its port
#
# Settings (environment):
#   KAFKA_PORT             client port (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port (default KAFKA_PORT + 1)
#   KAFKA_DATA_DIR         data folder (default <repo>/.run/kafka)
#   KAFKA_PARTITIONS       default partitions of new topics (default 6)
#   KAFKA_CACHE_DIR        where the jars are kept (default <repo>/.cache/kafka)
#   KAFKA_HEAP             JVM heap (default 512m)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
data_dir="${KAFKA_DATA_DIR:-$repo/.run/kafka}"
partitions="${KAFKA_PARTITIONS:-6}"
cache_dir="${KAFKA_CACHE_DIR:-$repo/.cache/kafka}"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/kafka/pom.xml")"
libs="$cache_dir/$version/libs"
pid_file="$data_dir/broker.pid"
log_file="$data_dir/broker.log"

log() { printf '[kafka.sh] %s\n' "$*" >&2; }

fetch() {
  if [ -f "$libs/.complete" ]; then return 0; fi
  log "resolving Apache Kafka $version jars from Maven Central into $libs"
  mkdir -p "$libs"
  mvn -q -B -f "$here/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$libs" >&2
  touch "$libs/.complete"
}

is_up() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

users_dir="$data_dir/users"
users=(admin controller intake dispatch tracking analytics)

# A random password per user, made once.
make_passwords() {
  mkdir -p "$users_dir"
  chmod 700 "$users_dir"
  local user
  for user in "${users[@]}"; do
    [ -s "$users_dir/$user.password" ] && continue
    (umask 077 && openssl rand -hex 24 >"$users_dir/$user.password")
  done
}

password() { cat "$users_dir/$1.password"; }

write_config() {
  local admin controller
  admin="$(password admin)"
  controller="$(password controller)"
  (umask 077 && cat >"$data_dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=SASL_PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=SASL_PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
inter.broker.listener.name=SASL_PLAINTEXT
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
sasl.mechanism.controller.protocol=PLAIN
listener.name.sasl_plaintext.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin";
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="$controller" user_controller="$controller";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:controller
log.dirs=$data_dir/log
num.partitions=$partitions
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.ms=-1
# The key topic's cleaner looks for work every 2 s (default 15 s), so an
# erased data key leaves the segments soon after its segment rolls.
log.cleaner.backoff.ms=2000
# The cleaner zeroes its whole dedupe map on every pass; the default 128 MiB
# made each 2-second pass cost the broker 2.5 % of its CPU under load
# (bench/README.md). 16 MiB maps about 600,000 keys a pass, more data keys
# than a local cluster holds; a larger key topic is cleaned in more passes.
log.cleaner.dedupe.buffer.size=16777216
PROPS
  )
}

# SCRAM credentials of every client user, written into the new cluster's
# metadata when the data folder is formatted.
scram_arguments() {
  local user
  for user in "${users[@]}"; do
    [ "$user" = controller ] && continue
    printf -- '--add-scram\nSCRAM-SHA-512=[name=%s,password=%s]\n' "$user" "$(password "$user")"
  done
}

start() {
  fetch
  mkdir -p "$data_dir"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    log "already running (pid $(cat "$pid_file")) on port $port"
    return 0
  fi
  local had_users=0
  [ -s "$users_dir/admin.password" ] && had_users=1
  make_passwords
  write_config
  local java_cp="$libs/*"
  if [ ! -f "$data_dir/log/meta.properties" ]; then
    local cluster_id scram=()
    cluster_id="$(java -cp "$java_cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    mapfile -t scram < <(scram_arguments)
    java -cp "$java_cp" kafka.tools.StorageTool format -t "$cluster_id" \
      -c "$data_dir/server.properties" "${scram[@]}" >>"$log_file" 2>&1
  elif [ "$had_users" -eq 0 ]; then
    log "$data_dir was formatted before the broker required SASL (no $users_dir): delete it to start over"
    return 1
  fi
  local started=$SECONDS from
  from="$(wc -l <"$log_file" 2>/dev/null || echo 0)"
  nohup java -Xms128m -Xmx"${KAFKA_HEAP:-512m}" -XX:+UseSerialGC \
    -Dlog4j.configuration="file:$here/kafka/log4j.properties" \
    -cp "$java_cp" kafka.Kafka "$data_dir/server.properties" >>"$log_file" 2>&1 </dev/null &
  echo $! >"$pid_file"
  for _ in $(seq 1 600); do
    if is_up && tail -n +"$((from + 1))" "$log_file" | grep -q "Kafka Server started"; then
      log "broker started on 127.0.0.1:$port (pid $(cat "$pid_file"), data $data_dir) in $((SECONDS - started)) s"
      return 0
    fi
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      log "broker exited during start; last lines of $log_file:"
      tail -n 20 "$log_file" >&2
      return 1
    fi
    sleep 0.1
  done
  log "broker did not become ready within 60 s"
  return 1
}

stop() {
  [ -f "$pid_file" ] || { log "not running"; return 0; }
  local pid
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 300); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "broker did not stop in 30 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pid_file"
  log "broker on port $port stopped"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) is_up ;;
  *) echo "usage: $0 fetch|start|stop|status" >&2; exit 2 ;;
esac
