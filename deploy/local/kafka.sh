#!/usr/bin/env bash
# A single-node Apache Kafka 3.9 broker in KRaft mode on loopback.
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

write_config() {
  cat >"$data_dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data_dir/log
num.partitions=$partitions
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.ms=-1
PROPS
}

start() {
  fetch
  mkdir -p "$data_dir"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    log "already running (pid $(cat "$pid_file")) on port $port"
    return 0
  fi
  write_config
  local java_cp="$libs/*"
  if [ ! -f "$data_dir/log/meta.properties" ]; then
    local cluster_id
    cluster_id="$(java -cp "$java_cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    java -cp "$java_cp" kafka.tools.StorageTool format -t "$cluster_id" \
      -c "$data_dir/server.properties" >>"$log_file" 2>&1
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
