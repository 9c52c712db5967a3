#!/usr/bin/env bash
# Side-by-side run of Apache Kafka's own perf tools against a Fjord broker and an Apache Kafka
# broker on this machine: same workload, same client jars, the two brokers taking turns.
#
# Each run starts one broker fresh (new data dir), creates the topic with Kafka's TopicCommand,
# runs ProducerPerformance then ConsumerPerformance, samples the broker's /proc stats and stops it
# with SIGTERM. The per-run figures and a markdown summary (medians over rounds, Fjord/Kafka
# ratios) go to perf/target/kafka-compare/. See perf/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: perf/compare-with-kafka.sh [--rounds N] [--records N] [--codecs "none lz4"] [--brokers "fjord kafka"]

  --rounds N      rounds; each round runs every codec on every broker once (default 3)
  --records N     records per run, 1 KiB each (default 1000000; e.g. 50000 for a smoke run)
  --codecs LIST   producer compression.type values, one workload each (default "none lz4")
  --brokers LIST  which brokers to run (default "fjord kafka"); ratios need both

environment: FJORD_HOME (default dist/target/fjord; built when missing), JAVA_HOME,
             FJORD_PORT (19092), KAFKA_PORT (29092), KAFKA_CONTROLLER_PORT (29093)
EOF
}

ROUNDS=3
RECORDS=1000000
CODECS="none lz4"
BROKERS="fjord kafka"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --records) RECORDS="$2"; shift 2 ;;
    --codecs) CODECS="$2"; shift 2 ;;
    --brokers) BROKERS="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
case "$ROUNDS$RECORDS" in
  *[!0-9]*) echo "--rounds and --records take positive whole numbers" >&2; exit 2 ;;
esac
[ "$ROUNDS" -gt 0 ] && [ "$RECORDS" -gt 0 ] || { echo "--rounds and --records must be positive" >&2; exit 2; }

RECORD_SIZE=1024
PARTITIONS=4
FJORD_PORT=${FJORD_PORT:-19092}
KAFKA_PORT=${KAFKA_PORT:-29092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-29093}

PERF_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$PERF_DIR")
SUPPORT=$PERF_DIR/kafka-compare
KAFKA_LIB=$PERF_DIR/target/kafka-compare/lib
FJORD_HOME=${FJORD_HOME:-$ROOT/dist/target/fjord}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
CLK_TCK=$(getconf CLK_TCK)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$PERF_DIR/target/kafka-compare/run-$STAMP
mkdir -p "$OUT"
RESULTS=$OUT/runs.tsv

# Kafka's launch defaults: kafka-server-start.sh's heap and -loggc, kafka-run-class.sh's JVM
# performance and JMX options; the perf tools' scripts give them -Xmx512M.
KAFKA_HEAP_OPTS="-Xmx1G -Xms1G"
KAFKA_JVM_PERFORMANCE_OPTS="-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true"
KAFKA_JMX_OPTS="-Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false"
KAFKA_LOG4J_OPTS="-Dlog4j2.configurationFile=$SUPPORT/log4j2.properties"
TOOL_HEAP_OPTS="-Xmx512M"
# A run that hangs must not hang the whole comparison: generous for a loaded 2-core machine.
TOOL_TIMEOUT=$((300 + RECORDS / 1000))

log() { echo "[$(date -u +%H:%M:%S)] $*"; }

# ---- one-time preparation -------------------------------------------------------------------

if ! ls "$KAFKA_LIB"/kafka-tools-[0-9]*.jar > /dev/null 2>&1; then
  log "fetching Apache Kafka's jars from Maven Central into $KAFKA_LIB (once)"
  mvn -B -q -f "$SUPPORT/pom.xml" package
fi
KAFKA_VERSION=$(basename "$(ls "$KAFKA_LIB"/kafka_2.13-*.jar)" .jar); KAFKA_VERSION=${KAFKA_VERSION#kafka_2.13-}
if [ ! -x "$FJORD_HOME/bin/fjord" ]; then
  log "building the Fjord image"
  (cd "$ROOT" && mvn -B -q -pl dist -am package -DskipTests)
fi

# A Kafka tool's JVM, as Kafka's scripts start it.
# shellcheck disable=SC2206 # the option strings hold several words on purpose
KAFKA_TOOL=("$JAVA" $TOOL_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_LOG4J_OPTS -cp "$KAFKA_LIB/*")

port_in_use() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

# A number in a format; NA stays NA.
format() { awk -v v="$2" -v f="$1" 'BEGIN {if (v == "NA") print v; else printf f "\n", v}'; }

# CPU seconds per GiB between two tick counts; NA when a count or the bytes are missing.
per_gib() {
  awk -v a="$1" -v b="$2" -v g="$3" -v hz="$CLK_TCK" \
    'BEGIN {if (a == "NA" || b == "NA" || g == "NA" || g <= 0) print "NA"; else printf "%.2f", (b - a) / hz / g}'
}

# ---- the broker process ---------------------------------------------------------------------

BROKER_PID=""
RUN_DIR=""

# The JVM behind a started process: the process itself, or the child of a launcher script
# that does not exec.
jvm_pid() {
  local pid=$1 child
  case "$(readlink "/proc/$pid/exe" 2> /dev/null)" in
    */java) echo "$pid"; return ;;
  esac
  for child in /proc/[0-9]*; do
    child=${child#/proc/}
    if [ "$(awk '{sub(/.*\) /, ""); print $2}' "/proc/$child/stat" 2> /dev/null)" = "$pid" ]; then
      case "$(readlink "/proc/$child/exe" 2> /dev/null)" in
        */java) echo "$child"; return ;;
      esac
    fi
  done
  echo "$pid"
}

# utime + stime of every thread of the process, in clock ticks (fields 14 and 15 of
# /proc/<pid>/stat; the command name before them may hold spaces, so count after its ')').
# NA once the process is gone.
cpu_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat" 2> /dev/null || echo NA; }

# Peak resident set size in MiB (VmHWM is in KiB); NA once the process is gone.
peak_rss_mib() { awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2> /dev/null || echo NA; }

wait_ready() {
  local pattern=$1 file=$2 deadline=$((SECONDS + 180))
  until grep -q "$pattern" "$file" 2> /dev/null; do
    if ! kill -0 "$BROKER_PID" 2> /dev/null; then
      log "the broker exited before it was ready; its output:"; tail -20 "$file"; return 1
    fi
    [ "$SECONDS" -lt "$deadline" ] || { log "the broker was not ready within 180 s"; return 1; }
    sleep 0.2
  done
}

start_fjord() {
  if port_in_use "$FJORD_PORT"; then log "port $FJORD_PORT is taken"; return 1; fi
  # The image's launcher as shipped: its own heap default, no JVM options added here.
  "$FJORD_HOME/bin/fjord" broker "$FJORD_HOME/conf/server.properties" \
    --override "log.dirs=$DATA_DIR/data" \
    --override "listeners=PLAINTEXT://127.0.0.1:$FJORD_PORT" \
    > "$RUN_DIR/broker.out" 2>&1 &
  BROKER_PID=$!
  BOOTSTRAP=127.0.0.1:$FJORD_PORT
  wait_ready "ready on" "$RUN_DIR/broker.out"
}

start_kafka() {
  local port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_in_use "$port"; then log "port $port is taken"; return 1; fi
  done
  local props=$RUN_DIR/server.properties
  cp "$SUPPORT/kafka-server.properties" "$props"
  cat >> "$props" <<EOF
log.dirs=$DATA_DIR/data
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
EOF
  local cluster_id
  cluster_id=$("${KAFKA_TOOL[@]}" kafka.tools.StorageTool random-uuid) || return 1
  if ! "${KAFKA_TOOL[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$props" \
      > "$RUN_DIR/format.out" 2>&1; then
    log "kafka-storage format failed:"; cat "$RUN_DIR/format.out"; return 1
  fi
  # shellcheck disable=SC2086
  "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS \
    "-Xlog:gc*:file=$RUN_DIR/kafkaServer-gc.log:time,tags:filecount=10,filesize=100M" \
    $KAFKA_JMX_OPTS $KAFKA_LOG4J_OPTS -cp "$KAFKA_LIB/*" kafka.Kafka "$props" \
    > "$RUN_DIR/broker.out" 2>&1 &
  BROKER_PID=$!
  BOOTSTRAP=127.0.0.1:$KAFKA_PORT
  wait_ready "Kafka Server started" "$RUN_DIR/broker.out"
}

# SIGTERM (a controlled shutdown on both brokers) and wait; SIGKILL after two minutes.
stop_broker() {
  [ -n "$BROKER_PID" ] || return 0
  local pid=$BROKER_PID deadline=$((SECONDS + 120))
  BROKER_PID=""
  kill -TERM "$pid" 2> /dev/null || true
  while kill -0 "$pid" 2> /dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "the broker did not stop within 120 s of SIGTERM: killed"
      kill -KILL "$pid" 2> /dev/null || true
    fi
    sleep 0.2
  done
  wait "$pid" 2> /dev/null || true
}

cleanup() {
  stop_broker
  [ -z "${DATA_DIR:-}" ] || rm -rf "$DATA_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- one run: one broker, one codec ---------------------------------------------------------

# Appends one line to $RESULTS:
# broker codec round produce_MBps p99_ms consume_MBps consume_MBps_with_join cpu_s GiB_moved
# cpu_s_per_GiB produce_cpu_s_per_GiB consume_cpu_s_per_GiB peak_rss_MiB status
run_one() {
  local broker=$1 codec=$2 round=$3
  RUN_DIR=$OUT/$broker-$codec-round$round
  mkdir -p "$RUN_DIR"
  DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/fjord-compare.XXXXXX")
  local topic=compare-$codec status=ok
  local produce_mbps=NA p99=NA consume_mbps=NA consume_all_mbps=NA
  local cpu_s=NA gib=NA cpu_per_gib=NA produce_cpu=NA consume_cpu=NA rss_mib=NA
  log "round $round, $broker, compression $codec: starting the broker"

  if ! "start_$broker"; then
    stop_broker
    echo -e "$broker\t$codec\t$round\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tbroker did not start (see $RUN_DIR/broker.out)" >> "$RESULTS"
    rm -rf "$DATA_DIR"; DATA_DIR=""
    return
  fi
  local pid
  pid=$(jvm_pid "$BROKER_PID")

  if ! "${KAFKA_TOOL[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create \
      --topic "$topic" --partitions "$PARTITIONS" --replication-factor 1 > "$RUN_DIR/topic.out" 2>&1; then
    status="topic creation failed: $(grep -m1 -iE 'error|exception' "$RUN_DIR/topic.out" || tail -1 "$RUN_DIR/topic.out")"
  fi

  local t0 t1 t2 produced_gib=0 consumed_gib=0
  t0=$(cpu_ticks "$pid")
  if [ "$status" = ok ]; then
    log "  producing $RECORDS records"
    timeout "$TOOL_TIMEOUT" "${KAFKA_TOOL[@]}" org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$RECORDS" \
      --record-size "$RECORD_SIZE" --throughput -1 \
      --command-property "bootstrap.servers=$BOOTSTRAP" acks=all "compression.type=$codec" \
      > "$RUN_DIR/producer.out" 2>&1 || true
    # e.g. "1000000 records sent, 81234.5 records/sec (79.33 MB/sec), 350.1 ms avg latency,
    #       900.0 ms max latency, 320 ms 50th, 700 ms 95th, 800 ms 99th, 880 ms 99.9th."
    local summary
    summary=$(grep '99th' "$RUN_DIR/producer.out" | tail -1 || true)
    if [ -n "$summary" ] && [ "${summary%% *}" = "$RECORDS" ]; then
      produce_mbps=$(sed -E 's/.*\(([0-9.]+) MB\/sec\).*/\1/' <<< "$summary")
      p99=$(sed -E 's/.* ([0-9.]+) ms 99th.*/\1/' <<< "$summary")
      produced_gib=$(awk -v n="$RECORDS" -v s="$RECORD_SIZE" 'BEGIN {printf "%.6f", n * s / 1073741824}')
    else
      status="produce failed: $(grep -m1 -E 'ERROR|Exception' "$RUN_DIR/producer.out" || echo "no summary line, see producer.out")"
    fi
  fi
  t1=$(cpu_ticks "$pid")

  if [ "$status" = ok ]; then
    log "  consuming $RECORDS records"
    timeout "$TOOL_TIMEOUT" "${KAFKA_TOOL[@]}" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
      --num-records "$RECORDS" --group "compare-$broker-$codec-$round" --timeout 30000 \
      > "$RUN_DIR/consumer.out" 2>&1 || true
    # The stats line under the header "start.time, end.time, data.consumed.in.MB, MB.sec,
    # data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec,
    # fetch.nMsg.sec" (a warning may stand between the two).
    local stats consumed joined
    stats=$(grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2} ' "$RUN_DIR/consumer.out" | tail -1 | tr -d ' ' || true)
    consumed=$(cut -s -d, -f5 <<< "$stats")
    if [ "$consumed" = "$RECORDS" ]; then
      consume_all_mbps=$(format %.1f "$(cut -d, -f4 <<< "$stats")")
      consume_mbps=$(format %.1f "$(cut -d, -f9 <<< "$stats")")
      consumed_gib=$(awk -v mb="$(cut -d, -f3 <<< "$stats")" 'BEGIN {printf "%.6f", mb / 1024}')
    else
      status="consume failed: ${consumed:-no count of} records consumed of $RECORDS"
      joined=$(cut -s -d, -f7 <<< "$stats")
      # ConsumerPerformance reports the time of its first group assignment; 0 means it never got one.
      [ "$joined" != 0 ] || status="$status; the consumer never joined its group (rebalance.time.ms 0)"
      status="$status; $(grep -m1 -E 'WARN|ERROR|Exception' "$RUN_DIR/consumer.out" || echo "see consumer.out")"
    fi
  fi
  t2=$(cpu_ticks "$pid")
  rss_mib=$(peak_rss_mib "$pid")
  if [ "$t2" = NA ]; then
    status="the broker exited during the run (see $RUN_DIR/broker.out); $status"
  fi
  log "  stopping the broker"
  stop_broker

  cpu_s=$(per_gib "$t0" "$t2" 1)
  gib=$(awk -v p="$produced_gib" -v c="$consumed_gib" 'BEGIN {printf "%.3f", p + c}')
  cpu_per_gib=$(per_gib "$t0" "$t2" "$gib")
  produce_cpu=$(per_gib "$t0" "$t1" "$produced_gib")
  consume_cpu=$(per_gib "$t1" "$t2" "$consumed_gib")
  # A round whose consume phase failed moved only the produced bytes: its CPU per GiB is not
  # comparable and is left out of the summary.
  [ "$status" = ok ] || cpu_per_gib=NA
  echo -e "$broker\t$codec\t$round\t$produce_mbps\t$p99\t$consume_mbps\t$consume_all_mbps\t$cpu_s\t$gib\t$cpu_per_gib\t$produce_cpu\t$consume_cpu\t$rss_mib\t$status" >> "$RESULTS"
  log "  $broker $codec: produce $produce_mbps MB/s (p99 $p99 ms), consume $consume_mbps MB/s, $cpu_per_gib CPU s/GiB, peak RSS $rss_mib MiB; $status"
  rm -rf "$DATA_DIR"; DATA_DIR=""
}

# ---- the rounds -----------------------------------------------------------------------------

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
FJORD_COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo '(no git)')
log "Fjord ($FJORD_HOME) against Apache Kafka $KAFKA_VERSION: $ROUNDS round(s) of $RECORDS records of $RECORD_SIZE B, $PARTITIONS partitions, acks=all, codecs: $CODECS"
log "output in $OUT"
for round in $(seq 1 "$ROUNDS"); do
  turn=$round
  for codec in $CODECS; do
    # The two brokers take turns going first, from codec to codec and for each codec from round
    # to round, so neither always meets a warmer page cache or a quieter machine.
    if [ $((turn % 2)) -eq 1 ]; then order=$BROKERS; else order=$(tr ' ' '\n' <<< "$BROKERS" | tac | tr '\n' ' '); fi
    turn=$((turn + 1))
    for broker in $order; do
      case "$broker" in
        fjord|kafka) run_one "$broker" "$codec" "$round" ;;
        *) echo "unknown broker '$broker' (fjord or kafka)" >&2; exit 2 ;;
      esac
    done
  done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the summary ----------------------------------------------------------------------------

# Median of the numbers on standard input ("NA" lines ignored); NA when there are none.
median() {
  { grep -v '^NA$' || true; } | sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "NA"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# A metric's column in runs.tsv, its name in the summary, its goal as a Fjord/Kafka ratio, and
# the printf format of its values.
metric_info() {
  case "$1" in
    produce) echo "4|produce MB/s|>= 1|%.1f" ;;
    p99) echo "5|produce p99 latency ms||%.0f" ;;
    consume) echo "6|consume MB/s|>= 1|%.1f" ;;
    cpu) echo "10|broker CPU s per GiB moved|<= 0.5|%.1f" ;;
    produce_cpu) echo "11|(produce phase alone: broker CPU s per GiB produced)||%.1f" ;;
    rss) echo "13|broker peak RSS MiB|<= 0.5|%.0f" ;;
  esac
}


SUMMARY=$OUT/summary.md
{
  echo "# Fjord against Apache Kafka $KAFKA_VERSION"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), Fjord $FJORD_COMMIT (the image in $FJORD_HOME), $(nproc) cores, load average $LOAD_START at the start and $LOAD_END at the end."
  echo "$ROUNDS round(s); each run: $RECORDS records of $RECORD_SIZE B into $PARTITIONS partitions with Kafka's ProducerPerformance"
  echo "(acks=all, --throughput -1), then all of them read back by Kafka's ConsumerPerformance in a consumer group."
  echo "Values are medians over rounds; Fjord/Kafka is the median of the per-round ratios."
  echo
  echo "| codec | metric | Fjord | Kafka | Fjord/Kafka | goal | met |"
  echo "|---|---|---|---|---|---|---|"
  for codec in $CODECS; do
    for metric in produce p99 consume cpu produce_cpu rss; do
      IFS='|' read -r c name goal fmt <<< "$(metric_info "$metric")"
      f=$(awk -F'\t' -v b=fjord -v k="$codec" -v c="$c" '$1 == b && $2 == k {print $c}' "$RESULTS" | median)
      k=$(awk -F'\t' -v b=kafka -v k="$codec" -v c="$c" '$1 == b && $2 == k {print $c}' "$RESULTS" | median)
      r=$(awk -F'\t' -v k="$codec" -v c="$c" '
            $2 == k && $1 == "fjord" {f[$3] = $c}
            $2 == k && $1 == "kafka" {g[$3] = $c}
            END {for (i in f) if ((i in g) && f[i] != "NA" && g[i] != "NA" && g[i] > 0) printf "%.4f\n", f[i] / g[i]}' "$RESULTS" | median)
      met=""
      if [ -n "$goal" ] && [ "$r" != NA ]; then
        met=$(awk -v r="$r" -v g="$goal" 'BEGIN {split(g, p, " "); ok = (p[1] == ">=") ? r >= p[2] : r <= p[2]; print ok ? "yes" : "no"}')
      fi
      echo "| $codec | $name | $(format "$fmt" "$f") | $(format "$fmt" "$k") | $(format %.2f "$r") | $goal | $met |"
    done
  done
  echo
  echo "consume MB/s is ConsumerPerformance's fetch.MB.sec: the group join (rebalance.time.ms) is left"
  echo "out, as Kafka's broker delays the first join by group.initial.rebalance.delay.ms. Broker CPU is"
  echo "utime+stime from /proc/<pid>/stat between the first record produced and the last consumed,"
  echo "divided by the GiB produced plus consumed; peak RSS is VmHWM from /proc/<pid>/status."
  echo
  echo "## Runs"
  echo
  echo "| broker | codec | round | produce MB/s | p99 ms | consume MB/s | consume MB/s incl. join | CPU s | GiB moved | CPU s/GiB | produce CPU s/GiB | consume CPU s/GiB | peak RSS MiB | status |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line}' "$RESULTS"
} > "$SUMMARY"
cp "$SUMMARY" "$PERF_DIR/target/kafka-compare/summary.md"
echo
cat "$SUMMARY"
echo
log "written to $SUMMARY (and perf/target/kafka-compare/summary.md)"
