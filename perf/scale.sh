#!/usr/bin/env bash
# How a broker's cost grows with partitions and idle connections: a Fjord broker beside an
# Apache Kafka broker, each started fresh per scenario (partitions x topics x connections).
#
# Per scenario and broker: topic creation time; with the topics and the idle connections in
# place, the broker's RSS (VmRSS, VmHWM), heap (used, and live after a full GC), open file
# descriptors and threads; broker CPU seconds per GiB and p99 latency of a paced produce; the
# time to ready and to a complete Metadata of all topics after a clean stop and after kill -9.
# Raw TSV and a markdown summary (medians, Fjord/Kafka ratios, memory per idle partition and per
# idle connection) go to perf/target/scale/run-<time>/. See perf/README.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: perf/scale.sh [--partitions "10 1000 10000"] [--topics "1 100"] [--connections "10 1000"]
                     [--records N] [--record-size BYTES] [--mbps N] [--rounds N] [--brokers "fjord kafka"]

  --partitions LIST   total partitions per scenario (default "10 1000 10000")
  --topics LIST       topics the partitions are spread over, evenly (default "1 100");
                      combinations with more topics than partitions are skipped
  --connections LIST  idle connections held open while measuring (default "10 1000")
  --records N         records produced per scenario (default 200000)
  --record-size BYTES bytes per record (default 1024)
  --mbps N            the produce rate, MB/s (default 20); both brokers must sustain it
  --rounds N          runs of every scenario on each broker (default 1)
  --brokers LIST      which brokers to run (default "fjord kafka"); the ratios need both

environment: FJORD_HOME (default dist/target/fjord), KAFKA_LIB (default
             perf/target/kafka-compare/lib), JAVA_HOME, FJORD_PORT (19092), KAFKA_PORT (29092),
             KAFKA_CONTROLLER_PORT (29093), SETTLE_S (seconds before measuring, default 5),
             READY_TIMEOUT_S (seconds a start may take before it counts as failed, default 600)
USAGE
}

PARTITIONS="10 1000 10000"
TOPICS="1 100"
CONNECTIONS="10 1000"
RECORDS=200000
RECORD_SIZE=1024
MBPS=20
ROUNDS=1
BROKERS="fjord kafka"
while [ $# -gt 0 ]; do
  case "$1" in
    --partitions) PARTITIONS="$2"; shift 2 ;;
    --topics) TOPICS="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --records) RECORDS="$2"; shift 2 ;;
    --record-size) RECORD_SIZE="$2"; shift 2 ;;
    --mbps) MBPS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --brokers) BROKERS="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
SETTLE_S=${SETTLE_S:-5}
# A restart of 10,000 partitions after a kill may well take minutes.
READY_TIMEOUT_S=${READY_TIMEOUT_S:-600}

PERF_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=kafka-compare/common.sh
. "$PERF_DIR/kafka-compare/common.sh"
OUT=$PERF_DIR/target/scale/run-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
RESULTS=$OUT/runs.tsv
CLK_TCK=$(getconf CLK_TCK)

prepare_kafka_and_fjord
log "compiling the scale client"
"${JAVA_HOME:+$JAVA_HOME/bin/}javac" -nowarn -cp "$KAFKA_LIB/*" -d "$OUT/client" "$SUPPORT/ScaleClient.java"
# shellcheck disable=SC2206 # the option strings hold several words on purpose
SCALE_CLIENT=("$JAVA" $TOOL_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_LOG4J_OPTS -cp "$KAFKA_LIB/*:$OUT/client" ScaleClient)

# The idle-connection holder and the Metadata poller run in the background; they go on exit too.
IDLE_PID=""
AWAIT_PID=""
scale_cleanup() {
  local pid
  for pid in $IDLE_PID $AWAIT_PID; do kill "$pid" 2> /dev/null || true; done
  cleanup
}
trap scale_cleanup EXIT

now_ms() { date +%s%3N; }
# The poller's answer among the tool's log lines (Kafka's log4j setup writes to standard output).
epoch_line() { grep -E '^[0-9]{13}$' "$1" | tail -1 || true; }
seconds_since() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b - a) / 1000}'; }
cpu_s() { awk -v t="$CLK_TCK" '{sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / t}' "/proc/$1/stat"; }

# The broker's memory, descriptors and threads: RSS and HWM (MiB), heap used and live heap after a
# full GC (GC.class_histogram collects first), open fds, threads; tab-separated.
footprint() {
  local pid=$1 rss hwm used live fds threads
  rss=$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")
  hwm=$(awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
  fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2> /dev/null | wc -l)
  # The heap's generations (G1 prints one line, the parallel and serial collectors two), not metaspace.
  used=$(jcmd "$pid" GC.heap_info 2> /dev/null \
    | awk '/garbage-first heap|PSYoungGen|ParOldGen|def new generation|tenured generation/ {
             for (i = 1; i < NF; i++) if ($i == "used") { sub(/K.*/, "", $(i + 1)); kb += $(i + 1) }
           } END {if (kb) printf "%.1f", kb / 1024}')
  live=$(jcmd "$pid" GC.class_histogram 2> /dev/null | awk '$1 == "Total" {printf "%.1f", $3 / 1048576}')
  echo -e "$rss\t$hwm\t${used:-NA}\t${live:-NA}\t$fds\t$threads"
}

# Relaunches the broker on the same data, kafka's from its formatted properties.
relaunch() {
  local broker=$1 dir=$2 run=$3
  if [ "$broker" = fjord ]; then start_fjord "$dir" "$DATA_DIR"; else launch_kafka "$run/broker/server.properties" "$dir"; fi
}

# restart BROKER RUN KIND (clean|kill) TOPICS PER_TOPIC: stops the broker that way and starts it
# again; sets RESTART_S to the seconds from launch to the ready line and to a complete Metadata of
# all topics. The poller's JVM starts first, so its own start-up stays out of the figure.
RESTART_S=""
restart() {
  local broker=$1 run=$2 kind=$3 topics=$4 per_topic=$5 t0 ready done
  if [ "$kind" = clean ]; then stop_broker; else kill_broker; fi
  "${SCALE_CLIENT[@]}" await "$BOOTSTRAP" "$topics" "$per_topic" > "$run/$kind.await" 2>&1 &
  AWAIT_PID=$!
  sleep 2
  t0=$(now_ms)
  if ! relaunch "$broker" "$run/restart-$kind" "$run"; then
    kill "$AWAIT_PID" 2> /dev/null || true
    wait "$AWAIT_PID" 2> /dev/null || true
    AWAIT_PID=""
    RESTART_S="NA\tNA"
    return 0
  fi
  ready=$(now_ms)
  wait "$AWAIT_PID" || true
  AWAIT_PID=""
  done=$(epoch_line "$run/$kind.await")
  RESTART_S="$(seconds_since "$t0" "$ready")\t$( [ -n "$done" ] && seconds_since "$t0" "$done" || echo NA)"
}

# One scenario on one broker; appends a row to runs.tsv.
run_scenario() {
  local broker=$1 round=$2 partitions=$3 topics=$4 connections=$5
  local per_topic=$((partitions / topics)) run=$OUT/$broker-p$partitions-t$topics-c$connections-r$round
  log "$broker: $partitions partitions over $topics topics, $connections idle connections, round $round"
  mkdir -p "$run"
  DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/fjord-scale.XXXXXX")
  "start_$broker" "$run/broker" "$DATA_DIR"

  local create_s
  "${SCALE_CLIENT[@]}" create "$BOOTSTRAP" "$topics" "$per_topic" > "$run/create.out" 2>&1
  create_s=$(grep -E '^[0-9]+$' "$run/create.out" | tail -1 | awk '{printf "%.2f", $1 / 1000}')

  "${SCALE_CLIENT[@]}" idle "$BOOTSTRAP" "$connections" > "$run/idle.out" 2>&1 &
  IDLE_PID=$!
  local deadline=$((SECONDS + 300))
  until grep -q '^ready' "$run/idle.out" 2> /dev/null; do
    kill -0 "$IDLE_PID" 2> /dev/null || { log "the idle connections failed:"; tail -5 "$run/idle.out"; return 1; }
    [ "$SECONDS" -lt "$deadline" ] || { log "the idle connections were not open within 300 s"; return 1; }
    sleep 0.2
  done
  sleep "$SETTLE_S"
  local pid footprint
  pid=$(jvm_pid "$BROKER_PID")
  footprint=$(footprint "$pid")

  # Paced produce over all topics while the idle connections stay open.
  local rate cpu0 cpu1 produced mbps p99 failed per_gib
  rate=$((MBPS * 1048576 / RECORD_SIZE))
  cpu0=$(cpu_s "$pid")
  "${SCALE_CLIENT[@]}" produce "$BOOTSTRAP" "$topics" "$RECORDS" "$RECORD_SIZE" "$rate" \
    > "$run/produce.out" 2>&1 || true
  produced=$(grep -E '^[0-9.]+ [0-9]+ [0-9]+$' "$run/produce.out" | tail -1 || true)
  cpu1=$(cpu_s "$pid")
  read -r mbps p99 failed <<< "${produced:-NA NA NA}"
  per_gib=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$RECORDS" -v s="$RECORD_SIZE" \
    'BEGIN {printf "%.2f", (b - a) / (n * s / 1073741824)}')
  kill "$IDLE_PID" 2> /dev/null || true
  wait "$IDLE_PID" 2> /dev/null || true
  IDLE_PID=""

  local clean killed
  restart "$broker" "$run" clean "$topics" "$per_topic"
  clean=$RESTART_S
  restart "$broker" "$run" kill "$topics" "$per_topic"
  killed=$RESTART_S
  stop_broker
  rm -rf "$DATA_DIR"; DATA_DIR=""
  echo -e "$broker\t$round\t$partitions\t$topics\t$connections\t$create_s\t$footprint\t$mbps\t$p99\t$failed\t$per_gib\t$clean\t$killed" >> "$RESULTS"
}

echo -e "broker\tround\tpartitions\ttopics\tconnections\tcreate_s\trss_MiB\thwm_MiB\theap_used_MiB\theap_live_MiB\tfds\tthreads\tproduce_MBps\tp99_ms\tfailed_sends\tcpu_s_per_GiB\tclean_ready_s\tclean_metadata_s\tkill_ready_s\tkill_metadata_s" > "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for partitions in $PARTITIONS; do
    for topics in $TOPICS; do
      [ "$topics" -le "$partitions" ] || continue
      for connections in $CONNECTIONS; do
        for broker in $BROKERS; do
          run_scenario "$broker" "$round" "$partitions" "$topics" "$connections"
        done
      done
    done
  done
done

SUMMARY=$OUT/summary.md
awk -v mbps="$MBPS" -f "$SUPPORT/scale-summary.awk" "$RESULTS" > "$SUMMARY"
log "per-run figures: $RESULTS"
cat "$SUMMARY"
