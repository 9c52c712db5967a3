#!/usr/bin/env bash
# The log cleaner of Fjord beside Apache Kafka's, on the same data and settings, and the replay of
# __consumer_offsets at Fjord's start-up with and without the cleaner. See perf/README.md.
#
# Cleaning: a 1-partition topic is filled with cleanup.policy=delete (nothing is cleaned while
# writing), then switched to cleanup.policy=compact; the time from the switch to the last change
# of the partition's .log bytes is the cleaning time, the bytes before the switch the dirty log.
# The broker's heap is sampled with jstat meanwhile: the peak heap used while cleaning, beside
# the heap used just before the switch.
set -euo pipefail

RECORDS=${RECORDS:-2000000}
KEYS=${KEYS:-100000}
VALUE_BYTES=${VALUE_BYTES:-100}
SEGMENT_BYTES=${SEGMENT_BYTES:-16777216}
COMMITS=${COMMITS:-100000}
# Small enough that the offsets log rolls and gets cleaned under this many commits (Kafka's default is 100 MiB).
OFFSETS_SEGMENT_BYTES=${OFFSETS_SEGMENT_BYTES:-1048576}
BROKERS=${BROKERS:-"fjord kafka"}
FJORD_PORT=${FJORD_PORT:-19092}
KAFKA_PORT=${KAFKA_PORT:-29092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-29093}

PERF_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$PERF_DIR")
SUPPORT=$PERF_DIR/kafka-compare
KAFKA_LIB=$PERF_DIR/target/kafka-compare/lib
FJORD_HOME=${FJORD_HOME:-$ROOT/dist/target/fjord}
BENCH_JAR=$PERF_DIR/target/benchmarks.jar
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JSTAT=${JAVA_HOME:+$JAVA_HOME/bin/}jstat
OUT=$PERF_DIR/target/compare-cleaner/run-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
SUMMARY=$OUT/summary.md
# Both cleaners look for work every 100 ms instead of every 15 s, so the wait does not hide the work.
CLEANER_SETTINGS="log.cleaner.backoff.ms=100"

log() { echo "[$(date -u +%H:%M:%S)] $*"; }

[ -f "$BENCH_JAR" ] || { log "building $BENCH_JAR"; mvn -B -q -f "$ROOT/pom.xml" -pl perf -am package -DskipTests; }
[ -x "$FJORD_HOME/bin/fjord" ] || { log "building the image"; mvn -B -q -f "$ROOT/pom.xml" -pl dist -am package -DskipTests; }
if ! ls "$KAFKA_LIB"/kafka-tools-[0-9]*.jar > /dev/null 2>&1; then
  log "fetching Apache Kafka's jars into $KAFKA_LIB (once)"
  mvn -B -q -f "$SUPPORT/pom.xml" package
fi
workload() { "$JAVA" -Xmx512M -cp "$BENCH_JAR" io.fjord.perf.CleanerWorkload "$@"; }

BROKER_PID=""
DATA_DIR=""

# The JVM behind a launcher script that does not exec.
jvm_pid() {
  local pid=$1 child
  case "$(readlink "/proc/$pid/exe" 2> /dev/null)" in */java) echo "$pid"; return ;; esac
  for child in /proc/[0-9]*; do
    child=${child#/proc/}
    if [ "$(awk '{sub(/.*\) /, ""); print $2}' "/proc/$child/stat" 2> /dev/null)" = "$pid" ]; then
      case "$(readlink "/proc/$child/exe" 2> /dev/null)" in */java) echo "$child"; return ;; esac
    fi
  done
  echo "$pid"
}

wait_for() {
  local pattern=$1 file=$2 deadline=$((SECONDS + 180))
  until grep -q "$pattern" "$file" 2> /dev/null; do
    kill -0 "$BROKER_PID" 2> /dev/null || { log "the broker exited:"; tail -20 "$file"; return 1; }
    [ "$SECONDS" -lt "$deadline" ] || { log "not ready within 180 s"; return 1; }
    sleep 0.1
  done
}

# start_fjord OUTPUT_FILE [key=value ...]
start_fjord() {
  local out=$1; shift
  local overrides=() kv
  for kv in "log.dirs=$DATA_DIR" "listeners=PLAINTEXT://127.0.0.1:$FJORD_PORT" $CLEANER_SETTINGS "$@"; do
    overrides+=(--override "$kv")
  done
  "$FJORD_HOME/bin/fjord" broker "$FJORD_HOME/conf/server.properties" "${overrides[@]}" > "$out" 2>&1 &
  BROKER_PID=$!
  BOOTSTRAP=127.0.0.1:$FJORD_PORT
  wait_for "ready on" "$out"
}

# start_kafka OUTPUT_FILE
start_kafka() {
  local out=$1 run props cluster_id
  run=$(dirname "$out")
  props=$run/server.properties
  cp "$SUPPORT/kafka-server.properties" "$props"
  cat >> "$props" <<EOF
log.dirs=$DATA_DIR
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
$CLEANER_SETTINGS
EOF
  local tool=("$JAVA" -Xmx512M "-Dlog4j2.configurationFile=$SUPPORT/log4j2.properties" -cp "$KAFKA_LIB/*")
  cluster_id=$("${tool[@]}" kafka.tools.StorageTool random-uuid)
  "${tool[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$props" > "$run/format.out" 2>&1
  # kafka-server-start.sh's heap and G1 flags.
  "$JAVA" -Xmx1G -Xms1G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=$SUPPORT/log4j2.properties" -cp "$KAFKA_LIB/*" kafka.Kafka "$props" \
    > "$out" 2>&1 &
  BROKER_PID=$!
  BOOTSTRAP=127.0.0.1:$KAFKA_PORT
  wait_for "Kafka Server started" "$out"
}

stop_broker() {
  [ -n "$BROKER_PID" ] || return 0
  local pid=$BROKER_PID
  BROKER_PID=""
  kill -TERM "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
}

cleanup() { stop_broker; [ -z "$DATA_DIR" ] || rm -rf "$DATA_DIR"; }
trap cleanup EXIT

# Heap used in MB (survivors, eden, old) from a jstat -gc line.
heap_mb() { awk 'NR > 1 && $1 ~ /^[0-9.]+$/ {printf "%.0f\n", ($3 + $4 + $6 + $8) / 1024}'; }

echo "| broker | dirty MB | cleaned MB | seconds | MB/s | heap before, MB | peak heap while cleaning, MB |" > "$SUMMARY"
echo "|---|---|---|---|---|---|---|" >> "$SUMMARY"

for broker in $BROKERS; do
  run=$OUT/clean-$broker
  mkdir -p "$run"
  DATA_DIR=$(mktemp -d)
  log "$broker: $RECORDS records over $KEYS keys, $VALUE_BYTES-byte values"
  "start_$broker" "$run/broker.out"
  workload fill "$BOOTSTRAP" table "$RECORDS" "$KEYS" "$VALUE_BYTES" "$SEGMENT_BYTES" | tee "$run/fill.out"
  pid=$(jvm_pid "$BROKER_PID")
  "$JSTAT" -gc "$pid" 200 > "$run/jstat.out" 2>&1 &
  jstat_pid=$!
  until [ -n "$(heap_mb < "$run/jstat.out")" ]; do sleep 0.2; done
  before_mb=$(heap_mb < "$run/jstat.out" | tail -1)
  workload compact "$BOOTSTRAP" table "$DATA_DIR/table-0" | tee "$run/compact.out"
  kill "$jstat_pid" 2> /dev/null || true
  peak_mb=$(heap_mb < "$run/jstat.out" | sort -n | tail -1)
  eval "$(tr ' ' '\n' < "$run/compact.out")"
  echo "| $broker | $((bytes_before / 1000000)) | $((bytes_after / 1000000)) | $clean_seconds | $mb_per_s | $before_mb | $peak_mb |" >> "$SUMMARY"
  stop_broker
  rm -rf "$DATA_DIR"
done

# __consumer_offsets replay at Fjord's start-up: COMMITS commits of one group to 10 partitions,
# with the cleaner off (the whole log replayed) and on (only what compaction kept).
if [[ " $BROKERS " == *" fjord "* ]]; then
  {
    echo
    echo "| __consumer_offsets after $COMMITS commits | offsets log MB | replay, ms | start to offsets answered, s |"
    echo "|---|---|---|---|"
  } >> "$SUMMARY"
  for cleaner in false true; do
    run=$OUT/offsets-cleaner-$cleaner
    mkdir -p "$run"
    DATA_DIR=$(mktemp -d)
    settings=("log.cleaner.enable=$cleaner" "offsets.topic.num.partitions=1" "offsets.topic.segment.bytes=$OFFSETS_SEGMENT_BYTES")
    start_fjord "$run/broker.out" "${settings[@]}"
    workload commit "$BOOTSTRAP" billing orders 10 "$COMMITS" | tee "$run/commit.out"
    if [ "$cleaner" = true ]; then
      # Wait until the cleaner is done: the log keeps its size for 5 s.
      last=-1
      while size=$(du -sb "$DATA_DIR/__consumer_offsets-0" | cut -f1); [ "$size" != "$last" ]; do last=$size; sleep 5; done
    fi
    stop_broker
    size_mb=$(find "$DATA_DIR/__consumer_offsets-0" -name '*.log' -printf '%s\n' | awk '{s += $1} END {printf "%.1f", s / 1e6}')
    started=$(date +%s.%N)
    start_fjord "$run/restart.out" "${settings[@]}"
    workload fetch "$BOOTSTRAP" billing 10 > "$run/fetch.out"
    answered=$(date +%s.%N)
    replay_ms=$(grep -o 'from __consumer_offsets-0 in [0-9]* milliseconds' "$run/restart.out" | awk '{print $4}')
    echo "| cleaner $([ "$cleaner" = true ] && echo on || echo off) | $size_mb | $replay_ms | $(awk -v a="$started" -v b="$answered" 'BEGIN {printf "%.2f", b - a}') |" >> "$SUMMARY"
    stop_broker
    rm -rf "$DATA_DIR"
  done
fi

cat "$SUMMARY"
