#!/usr/bin/env bash
# Profiles a Fjord broker under the workload of compare-with-kafka.sh: Kafka's ProducerPerformance
# then ConsumerPerformance against the image's broker on 127.0.0.1, fresh data dir, one broker run
# per profiling mode, with async-profiler loaded as a JVM agent.
#
# The agent is loaded at start-up but started only once the broker is ready (and the optional
# warm-up is over), through jcmd's JVMTI.agent_load, and stopped before the broker is: start-up
# and shutdown stay out of the profile. Per mode and phase (produce, then consume, each its own
# profile): a flame graph (HTML), async-profiler's text summary (flat and traces), collapsed
# stacks, the top Fjord methods and, in cpu mode, the CPU budget by stage (cpu-budget.awk), under
# perf/target/profile/run-*/. See perf/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: perf/profile-broker.sh [--records N] [--record-size BYTES] [--partitions N] [--codec C]
                              [--modes "cpu wall alloc"] [--warmup N] [--interval N] [--cpu-event E]

  --records N         records produced and then consumed while profiling (default 1000000)
  --record-size BYTES bytes per record (default 1024)
  --partitions N      partitions of the topic (default 4)
  --codec C           the producer's compression.type (default none)
  --modes LIST        profiling modes, one broker run each: cpu, wall, alloc (default all three)
  --warmup N          records produced and consumed on another topic before profiling starts,
                      so that JIT compilation is mostly over (default 0)
  --interval N        sampling interval: ns of CPU time for cpu, ns for wall, bytes for alloc
                      (default: async-profiler's: 10 ms, 50 ms, 512 KiB)
  --cpu-event E       the event of cpu mode: cpu (perf_events), itimer or ctimer (default: cpu
                      when perf_events are available, itimer otherwise)

environment: FJORD_HOME (default dist/target/fjord; built when missing), JAVA_HOME (its jcmd
             starts and stops the profiler), FJORD_PORT (19092)
EOF
}

RECORDS=1000000
RECORD_SIZE=1024
PARTITIONS=4
CODEC=none
MODES="cpu wall alloc"
WARMUP=0
INTERVAL=""
CPU_EVENT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --record-size) RECORD_SIZE="$2"; shift 2 ;;
    --partitions) PARTITIONS="$2"; shift 2 ;;
    --codec) CODEC="$2"; shift 2 ;;
    --modes) MODES="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --interval) INTERVAL="$2"; shift 2 ;;
    --cpu-event) CPU_EVENT="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
for n in "$RECORDS" "$RECORD_SIZE" "$PARTITIONS" "$WARMUP" "${INTERVAL:-1}"; do
  case "$n" in
    ''|*[!0-9]*) echo "--records, --record-size, --partitions, --warmup and --interval take whole numbers" >&2; exit 2 ;;
  esac
done
case "$CPU_EVENT" in
  ''|cpu|itimer|ctimer) ;;
  *) echo "--cpu-event takes cpu, itimer or ctimer" >&2; exit 2 ;;
esac
for mode in $MODES; do
  case "$mode" in
    cpu|wall|alloc) ;;
    *) echo "unknown mode '$mode' (cpu, wall or alloc)" >&2; exit 2 ;;
  esac
done

PERF_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=kafka-compare/common.sh
. "$PERF_DIR/kafka-compare/common.sh"
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
PROFILER_POM=$PERF_DIR/async-profiler/pom.xml
OUT=$PERF_DIR/target/profile/run-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
TOOL_TIMEOUT=$((300 + (RECORDS + WARMUP) * RECORD_SIZE / 1024000))

prepare_kafka_and_fjord
# The agent for this platform, unpacked once from Maven Central by async-profiler/pom.xml.
PROFILER_VERSION=$(sed -n 's:.*<async-profiler.version>\(.*\)</async-profiler.version>.*:\1:p' "$PROFILER_POM")
AGENT=$PERF_DIR/target/async-profiler/$PROFILER_VERSION/linux-x64/libasyncProfiler.so
if [ ! -f "$AGENT" ]; then
  log "fetching async-profiler $PROFILER_VERSION from Maven Central (once)"
  mvn -B -q -f "$PROFILER_POM" package
fi
command -v "$JCMD" > /dev/null || { log "no jcmd: set JAVA_HOME to a JDK"; exit 1; }

# cpu mode samples with perf_events, which a container may forbid (perf_event_paranoid above 2,
# or seccomp); then itimer, a CPU-time timer of the process, samples instead (no kernel frames).
CPU_NOTE=""
if [ -z "$CPU_EVENT" ] && [[ " $MODES " == *" cpu "* ]]; then
  CPU_EVENT=cpu
  paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2> /dev/null || echo unknown)
  if [ "$paranoid" = unknown ] || [ "$paranoid" -gt 2 ]; then
    CPU_EVENT=itimer
    CPU_NOTE="kernel.perf_event_paranoid is $paranoid: perf_events unavailable, cpu mode sampled with event=itimer"
  elif ! "$FJORD_HOME/bin/java" "-agentpath:$AGENT=start,event=cpu,file=$OUT/cpu-probe.txt" -version \
        > "$OUT/cpu-probe.out" 2>&1 || grep -qi 'perf events' "$OUT/cpu-probe.out"; then
    CPU_EVENT=itimer
    CPU_NOTE="perf_events unavailable ($(grep -m1 -i 'perf events' "$OUT/cpu-probe.out" || echo "see cpu-probe.out")): cpu mode sampled with event=itimer"
  fi
  [ -z "$CPU_NOTE" ] || log "note: $CPU_NOTE"
fi


# profiler PID COMMAND: one async-profiler command (start, dump, stop, with options) through the
# agent already loaded in the broker's JVM. The quotes keep jcmd from splitting at the '='.
profiler() {
  local out
  out=$("$JCMD" "$1" JVMTI.agent_load "$AGENT" "\"$2\"" 2>&1) || true
  grep -q 'return code: 0' <<< "$out" || { log "async-profiler '$2' failed: $out"; return 1; }
}

# produce TOPIC RECORDS DIR PREFIX and consume (the same): ProducerPerformance and
# ConsumerPerformance, as compare-with-kafka.sh runs them, on a topic created before; their output
# in DIR/PREFIX-producer.out and -consumer.out.
produce() {
  timeout "$TOOL_TIMEOUT" "${KAFKA_TOOL[@]}" org.apache.kafka.tools.ProducerPerformance --topic "$1" \
    --num-records "$2" --record-size "$RECORD_SIZE" --throughput -1 \
    --command-property "bootstrap.servers=$BOOTSTRAP" acks=all "compression.type=$CODEC" \
    > "$3/$4-producer.out" 2>&1 || true
}
consume() {
  timeout "$TOOL_TIMEOUT" "${KAFKA_TOOL[@]}" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" \
    --topic "$1" --num-records "$2" --group "$1" --timeout 30000 > "$3/$4-consumer.out" 2>&1 || true
}

# The methods of Fjord's modules on the most sampled stacks: per method, the samples (or bytes)
# of the stacks it is on, each stack counted once; the 15 largest, as "percent method".
top_fjord_methods() {
  awk '{
      n = $NF; sub(/ [0-9]+$/, ""); total += n
      split($0, frames, ";"); delete seen
      for (i in frames)
        if (frames[i] ~ /^io[.\/]fjord[.\/]/ && frames[i] !~ /\$\$Lambda/ && !(frames[i] in seen)) { seen[frames[i]] = 1; on[frames[i]] += n }
    }
    END {for (f in on) printf "%6.2f%%  %s\n", 100 * on[f] / total, f}' "$1" | sort -rn | head -15
}

# profile_one MODE: one broker run; appends the mode's section to the summary.
profile_one() {
  local mode=$1 event=$1 options="" dir=$OUT/$1
  [ "$mode" != cpu ] || event=$CPU_EVENT
  # Most threads wait most of the time: per thread, the flame graph shows which ones work.
  [ "$mode" != wall ] || options=",threads"
  mkdir -p "$dir"
  DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/fjord-profile.XXXXXX")
  log "$mode (event=$event): starting the broker"
  # DebugNonSafepoints: the JIT keeps debug information between safepoints, so samples land on
  # the right inlined method (async-profiler's advice when its agent is loaded at start-up).
  FJORD_OPTS="${FJORD_OPTS:-} -agentpath:$AGENT -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints" \
    start_fjord "$dir" "$DATA_DIR" group.initial.rebalance.delay.ms=0
  local pid
  pid=$(jvm_pid "$BROKER_PID")
  if [ "$WARMUP" -gt 0 ]; then
    log "  warm-up: $WARMUP records produced and consumed"
    create_topic profile-warmup "$PARTITIONS" "$dir/warmup-topic.out"
    produce profile-warmup "$WARMUP" "$dir" warmup
    consume profile-warmup "$WARMUP" "$dir" warmup
  fi
  create_topic profile "$PARTITIONS" "$dir/workload-topic.out"
  # Each phase is its own profile, so the produce path and the fetch path are read apart.
  local phase
  for phase in produce consume; do
    mkdir -p "$dir/$phase"
    profiler "$pid" "start,event=$event$options${INTERVAL:+,interval=$INTERVAL}"
    log "  profiling: $RECORDS records, $phase"
    "$phase" profile "$RECORDS" "$dir" workload
    profiler "$pid" "dump,flat=20,traces=10,file=$dir/$phase/summary.txt"
    profiler "$pid" "dump,collapsed,file=$dir/$phase/stacks.collapsed"
    profiler "$pid" "stop,title=Fjord broker $mode $phase (event=$event),file=$dir/$phase/flamegraph.html"
  done
  log "  stopping the broker"
  stop_broker
  rm -rf "$DATA_DIR"; DATA_DIR=""

  local produced consumed
  produced=$(grep -E "^$RECORDS records sent" "$dir/workload-producer.out" | tail -1 || true)
  consumed=$(consumer_stats "$dir/workload-consumer.out")
  {
    echo "## $mode (event=$event)"
    echo
    [ "$mode" != cpu ] || [ -z "$CPU_NOTE" ] || { echo "Note: $CPU_NOTE."; echo; }
    echo "- producer: ${produced:-no summary line (see $mode/workload-producer.out)}"
    echo "- consumer: $(if [ -n "$consumed" ]; then cut -d, -f5,4 <<< "$consumed" | awk -F, '{print $2 " records, " $1 " MB/s end to end"}'; else echo "no stats line (see $mode/workload-consumer.out)"; fi)"
    echo
    for phase in produce consume; do
      echo "### $mode, $phase"
      echo
      echo "Files: $mode/$phase/flamegraph.html, $mode/$phase/summary.txt (flat and traces), $mode/$phase/stacks.collapsed"
      echo
      if [ "$mode" = cpu ]; then
        echo "CPU budget by stage (perf/cpu-budget.awk; per GiB of records, $RECORDS x $RECORD_SIZE B):"
        echo
        awk -v interval_ns="${INTERVAL:-10000000}" -v gib="$(awk -v n="$RECORDS" -v s="$RECORD_SIZE" 'BEGIN {print n * s / 1073741824}')" \
          -v phase="$phase" -f "$PERF_DIR/cpu-budget.awk" "$dir/$phase/stacks.collapsed"
        echo
      fi
      echo "Top frames (self), from summary.txt:"
      echo
      echo '```'
      sed -n '/^ *\(ns\|bytes\|samples\) *percent *samples *top/,$p' "$dir/$phase/summary.txt" | head -22
      echo '```'
      echo
      echo "Fjord methods on the most sampled stacks (share of all samples whose stack holds the method):"
      echo
      echo '```'
      top_fjord_methods "$dir/$phase/stacks.collapsed"
      echo '```'
      echo
    done
  } >> "$SUMMARY"
}

SUMMARY=$OUT/summary.md
{
  echo "# Fjord broker profile"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), Fjord $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo '(no git)'), async-profiler $PROFILER_VERSION, $(nproc) cores."
  echo "Workload: $RECORDS records of $RECORD_SIZE B into $PARTITIONS partitions with Kafka's ProducerPerformance"
  echo "(acks=all, compression.type=$CODEC, --throughput -1), then read back by ConsumerPerformance in a group;"
  echo "$WARMUP warm-up records before profiling started. Profiled from the end of the warm-up to the last record consumed, producing and consuming apart."
  echo
} > "$SUMMARY"
log "profiling the Fjord broker ($FJORD_HOME), modes: $MODES; output in $OUT"
for mode in $MODES; do
  profile_one "$mode"
done
echo
cat "$SUMMARY"
log "written to $OUT"
