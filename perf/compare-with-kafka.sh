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
usage: perf/compare-with-kafka.sh [--rounds N] [--records N] [--record-size BYTES] [--partitions N]
                                  [--codec "none lz4"] [--brokers "fjord kafka"]

  --rounds N          rounds; each round runs every codec on every broker once (default 3)
  --records N         records per run (default 1000000; e.g. 50000 for a smoke run)
  --record-size BYTES bytes per record (default 1024)
  --partitions N      partitions of the topic (default 4)
  --codec LIST        producer compression.type values, one workload each (default "none lz4");
                      --codecs is the same option
  --brokers LIST      which brokers to run (default "fjord kafka"); ratios need both

environment: FJORD_HOME (default dist/target/fjord; built when missing), JAVA_HOME,
             FJORD_PORT (19092), KAFKA_PORT (29092), KAFKA_CONTROLLER_PORT (29093)
EOF
}

ROUNDS=3
RECORDS=1000000
RECORD_SIZE=1024
PARTITIONS=4
CODECS="none lz4"
BROKERS="fjord kafka"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --records) RECORDS="$2"; shift 2 ;;
    --record-size) RECORD_SIZE="$2"; shift 2 ;;
    --partitions) PARTITIONS="$2"; shift 2 ;;
    --codec|--codecs) CODECS="$2"; shift 2 ;;
    --brokers) BROKERS="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
for n in "$ROUNDS" "$RECORDS" "$RECORD_SIZE" "$PARTITIONS"; do
  case "$n" in
    ''|*[!0-9]*|0) echo "--rounds, --records, --record-size and --partitions take positive whole numbers" >&2; exit 2 ;;
  esac
done

PERF_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=kafka-compare/common.sh
. "$PERF_DIR/kafka-compare/common.sh"
CLK_TCK=$(getconf CLK_TCK)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$PERF_DIR/target/kafka-compare/run-$STAMP
mkdir -p "$OUT"
RESULTS=$OUT/runs.tsv
# The same group settings on both brokers: Kafka's default delays a new group's first rebalance
# by 3 s (Fjord's too), which would dominate a short consume.
GROUP_SETTINGS=(group.initial.rebalance.delay.ms=0)
# A run that hangs must not hang the whole comparison: generous for a loaded 2-core machine.
TOOL_TIMEOUT=$((300 + RECORDS * RECORD_SIZE / 1024000))

# ---- one-time preparation -------------------------------------------------------------------

prepare_kafka_and_fjord

# A number in a format; NA stays NA.
format() { awk -v v="$2" -v f="$1" 'BEGIN {if (v == "NA") print v; else printf f "\n", v}'; }

# CPU seconds per GiB between two tick counts; NA when a count or the bytes are missing.
per_gib() {
  awk -v a="$1" -v b="$2" -v g="$3" -v hz="$CLK_TCK" \
    'BEGIN {if (a == "NA" || b == "NA" || g == "NA" || g <= 0) print "NA"; else printf "%.2f", (b - a) / hz / g}'
}

# utime + stime of every thread of the process, in clock ticks (fields 14 and 15 of
# /proc/<pid>/stat; the command name before them may hold spaces, so count after its ')').
# NA once the process is gone.
cpu_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat" 2> /dev/null || echo NA; }

# Peak resident set size in MiB (VmHWM is in KiB); NA once the process is gone.
peak_rss_mib() { awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2> /dev/null || echo NA; }

RUN_DIR=""

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

  if ! "start_$broker" "$RUN_DIR" "$DATA_DIR" "${GROUP_SETTINGS[@]}"; then
    stop_broker
    echo -e "$broker\t$codec\t$round\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tbroker did not start (see $RUN_DIR/broker.out)" >> "$RESULTS"
    rm -rf "$DATA_DIR"; DATA_DIR=""
    return
  fi
  local pid
  pid=$(jvm_pid "$BROKER_PID")

  if ! create_topic "$topic" "$PARTITIONS" "$RUN_DIR/topic.out"; then
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
    # End to end: MB.sec, from before the subscription to the last record, the group join
    # included. Fetch only: fetch.MB.sec, over that time less rebalance.time.ms.
    local stats consumed joined
    stats=$(consumer_stats "$RUN_DIR/consumer.out")
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
  log "  $broker $codec: produce $produce_mbps MB/s (p99 $p99 ms), consume $consume_all_mbps MB/s end to end and $consume_mbps MB/s fetch only, $cpu_per_gib CPU s/GiB, peak RSS $rss_mib MiB; $status"
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

# A metric's column in runs.tsv, its name in the summary, its goal as a Fjord/Kafka ratio (the
# broker-performance goals: produce 1.3x, fetch 1.2x, p99 0.5x, CPU per GiB 0.35x, peak RSS 0.3x),
# and the printf format of its values.
metric_info() {
  case "$1" in
    produce) echo "4|produce MB/s|>= 1.3|%.1f" ;;
    p99) echo "5|produce p99 latency ms|<= 0.5|%.0f" ;;
    consume_all) echo "7|consume MB/s end to end||%.1f" ;;
    consume) echo "6|consume MB/s fetch only|>= 1.2|%.1f" ;;
    cpu) echo "10|broker CPU s per GiB moved|<= 0.35|%.1f" ;;
    produce_cpu) echo "11|(produce phase alone: broker CPU s per GiB produced)||%.1f" ;;
    rss) echo "13|broker peak RSS MiB|<= 0.3|%.0f" ;;
  esac
}

SUMMARY=$OUT/summary.md
{
  echo "# Fjord against Apache Kafka $KAFKA_VERSION"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), Fjord $FJORD_COMMIT (the image in $FJORD_HOME), $(nproc) cores, load average $LOAD_START at the start and $LOAD_END at the end."
  echo "$ROUNDS round(s); each run: $RECORDS records of $RECORD_SIZE B into $PARTITIONS partitions with Kafka's ProducerPerformance"
  echo "(acks=all, --throughput -1), then all of them read back by Kafka's ConsumerPerformance in a consumer group."
  echo "Both brokers run with group.initial.rebalance.delay.ms=0."
  echo
  echo "## Runs"
  echo
  echo "| broker | codec | round | produce MB/s | p99 ms | consume MB/s fetch only | consume MB/s end to end | CPU s | GiB moved | CPU s/GiB | produce CPU s/GiB | consume CPU s/GiB | peak RSS MiB | status |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line}' "$RESULTS"
  echo
  echo "Consume end to end is ConsumerPerformance's MB.sec: from before the subscription to the last"
  echo "record, the group join and first rebalance included. Fetch only is its fetch.MB.sec: the same"
  echo "bytes over that time less rebalance.time.ms (up to the first partition assignment). Broker CPU"
  echo "is utime+stime from /proc/<pid>/stat between the first record produced and the last consumed,"
  echo "divided by the GiB produced plus consumed; peak RSS is VmHWM from /proc/<pid>/status."
  echo
  echo "## Medians"
  echo
  echo "Values are medians over rounds; Fjord/Kafka is the median of the per-round ratios."
  echo
  echo "| codec | metric | Fjord | Kafka | Fjord/Kafka | goal | met |"
  echo "|---|---|---|---|---|---|---|"
  for codec in $CODECS; do
    for metric in produce p99 consume_all consume cpu produce_cpu rss; do
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
} > "$SUMMARY"
cp "$SUMMARY" "$PERF_DIR/target/kafka-compare/summary.md"
echo
cat "$SUMMARY"
echo
log "written to $SUMMARY (and perf/target/kafka-compare/summary.md)"
