#!/usr/bin/env bash
# One benchmark command for the whole platform, secured as the README's first
# command runs it. On this machine, in one run:
#   1. the pipeline (bench/pipeline_bench): full rate, fixed rates, queries,
#      a replay of each service; loadgen as the client;
#   2. the Kafka ceiling on a secured broker of its own, at the platform's
#      mean record size: librdkafka (bench/kafka_ceiling) and Kafka's
#      ProducerPerformance;
#   3. a history import of HISTORY_ROWS rows (scripts/history_import_bench.sh).
# Writes bench/results/ (or $PIPELINE_OUT): every figure as a row
# (rows.txt), the table of figures against their targets and the ceiling
# (table.md, printed too) and latency against throughput (latency.png).
# Outside CI (about 15 minutes). Environment: COMPLAINTS, RATES,
# RATE_SECONDS, HISTORY_ROWS, CEILING_RECORDS override the defaults below.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${COMPLAINTS_BUILD_DIR:-$repo/build}"
out="${PIPELINE_OUT:-$repo/bench/results}"
complaints="${COMPLAINTS:-10000}"
rates="${RATES:-500,1000,2000}"
rate_seconds="${RATE_SECONDS:-30s}"
history_rows="${HISTORY_ROWS:-50000}"
ceiling_records="${CEILING_RECORDS:-300000}"
stage() { printf '[pipeline.sh] %s\n' "$*" >&2; }

bash "$repo/scripts/build.sh" loadgen pipeline_bench kafka_ceiling history_import_bench \
  intake dispatch tracking analytics complaintctl >/dev/null
command -v gnuplot >/dev/null || apt-get install -y -q gnuplot-nox >/dev/null
kafka_version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$repo/deploy/local/kafka/pom.xml")"
kafka_libs="$repo/.cache/kafka/$kafka_version/libs"
tools="$repo/.cache/kafka-tools/$kafka_version"
if [ ! -f "$tools/kafka-tools-$kafka_version.jar" ]; then
  stage "fetching kafka-tools $kafka_version (ProducerPerformance) from Maven Central"
  mvn -q dependency:copy -Dartifact="org.apache.kafka:kafka-tools:$kafka_version" \
    -DoutputDirectory="$tools" >/dev/null
fi
mkdir -p "$out"
rows="$out/rows.txt"
: >"$rows"
export COMPLAINTS_SOURCE_DIR="$repo" COMPLAINTS_BINARY_DIR="$build"

stage "pipeline: $complaints complaints at full rate, then $rates/s for $rate_seconds each, queries, replays"
"$build/bench/pipeline_bench" --complaints="$complaints" --rates="$rates" \
  --rate_seconds="$rate_seconds" | tee "$out/pipeline.log" | grep -v '^pipeline-row' >&2
grep '^pipeline-row' "$out/pipeline.log" | cut -d' ' -f2- >>"$rows"
record_bytes="$(awk '$1 == "full" && $2 == "mean_record_bytes" { printf "%d", $3 }' "$rows")"
record_bytes="${record_bytes:-600}"

stage "Kafka ceiling: a secured broker of its own, $ceiling_records records of $record_bytes bytes"
scratch="$(mktemp -d)"
trap 'KAFKA_DATA_DIR="$scratch/kafka" bash "$repo/deploy/local/kafka.sh" stop >/dev/null 2>&1 || true; rm -rf "$scratch"' EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export KAFKA_DATA_DIR="$scratch/kafka" KAFKA_PORT="$port" KAFKA_CONTROLLER_PORT="$((port + 1))"
bash "$repo/deploy/local/kafka.sh" start >/dev/null 2>&1
broker_pid="$(cat "$scratch/kafka/broker.pid")"
"$build/bench/kafka_ceiling" "127.0.0.1:$port" admin "$scratch/kafka/users/admin.password" \
  "$broker_pid" "$ceiling_records" "$record_bytes" | tee "$out/ceiling.log" | grep -v '^pipeline-row' >&2
grep '^pipeline-row' "$out/ceiling.log" | cut -d' ' -f2- >>"$rows"
password="$(head -n1 "$scratch/kafka/users/admin.password")"
cat >"$scratch/client.properties" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$password";
PROPS
java -cp "$kafka_libs/*:$tools/*" org.apache.kafka.tools.TopicCommand --bootstrap-server \
  "127.0.0.1:$port" --command-config "$scratch/client.properties" --create --topic bench.pp \
  --partitions 6 --replication-factor 1 >/dev/null
java -cp "$kafka_libs/*:$tools/*" org.apache.kafka.tools.ProducerPerformance --topic bench.pp \
  --num-records "$ceiling_records" --record-size "$record_bytes" --throughput -1 \
  --producer.config "$scratch/client.properties" --producer-props \
  "bootstrap.servers=127.0.0.1:$port" acks=all enable.idempotence=true compression.type=lz4 \
  linger.ms=5 2>/dev/null | tail -n1 | tee "$out/producer_performance.log" >&2
awk -F'[ ,(]+' '{ for (i = 1; i < NF; ++i) if ($(i + 1) == "records/sec") print "ceiling producer_performance_records_per_s", $i }' \
  "$out/producer_performance.log" >>"$rows"
bash "$repo/deploy/local/kafka.sh" stop >/dev/null 2>&1 || true
unset KAFKA_DATA_DIR KAFKA_PORT KAFKA_CONTROLLER_PORT

stage "history import: $history_rows rows"
"$build/bench/history_import_bench" "$history_rows" | tee "$out/history.log" | grep figures >&2 || true
awk '/whole pipeline caught up/ { for (i = 1; i <= NF; ++i) if ($(i + 1) == "cases/min") print "history rows_per_s", $i / 60 }' \
  "$out/history.log" >>"$rows"

python3 "$repo/bench/pipeline_table.py" "$rows" "$out/table.md" "$out/latency.dat"
cat "$out/table.md"
gnuplot <<PLOT
set terminal png size 900,560
set output "$out/latency.png"
set title "Submission latency against throughput (secured platform, 2 cores)"
set xlabel "complaints/s answered"
set ylabel "latency (ms)"
set logscale y
set key top left
set grid
plot "$out/latency.dat" using 1:2 with linespoints title "p50", \
     "$out/latency.dat" using 1:3 with linespoints title "p99"
PLOT
stage "wrote $out/table.md and $out/latency.png"
