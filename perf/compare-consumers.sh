#!/usr/bin/env bash
# Side-by-side run of two consumers against the same broker: Fjord's (fjord perf consume) and
# Kafka's (ConsumerPerformance), with the same flags, taking turns, on a Fjord broker and then on
# an Apache Kafka broker. Each broker is started once, fresh; per partition count and codec one
# topic is filled once (Kafka's ProducerPerformance) and then read whole by each consumer in every
# round, each read in a new group.
#
# Per run: MB/s over the whole run and over the fetch time (the tools' summary line) and the
# client's CPU seconds (user + system, /usr/bin/time, JVM start included) per GiB read. Per-run
# figures and a markdown summary (medians over rounds, Fjord/Kafka ratios) go to
# perf/target/compare-consumers/. See perf/README.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: perf/compare-consumers.sh [--rounds N] [--records N] [--partitions "4 1000"] [--codecs "none lz4"]
                                 [--brokers "fjord kafka"]

  --rounds N         rounds; each round reads every topic with each consumer once (default 3)
  --records N        records per topic, 1 KiB each (default 1000000)
  --partitions LIST  partition counts (default "4 1000")
  --codecs LIST      compression.type of the filled topics (default "none lz4")
  --brokers LIST     which brokers to run on (default "fjord kafka")

environment: FJORD_HOME (default dist/target/fjord), JAVA_HOME,
             FJORD_PORT (19092), KAFKA_PORT (29092), KAFKA_CONTROLLER_PORT (29093)
USAGE
}

ROUNDS=3
RECORDS=1000000
PARTITION_COUNTS="4 1000"
CODECS="none lz4"
BROKERS="fjord kafka"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --records) RECORDS="$2"; shift 2 ;;
    --partitions) PARTITION_COUNTS="$2"; shift 2 ;;
    --codecs) CODECS="$2"; shift 2 ;;
    --brokers) BROKERS="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

RECORD_SIZE=1024

PERF_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=kafka-compare/common.sh
. "$PERF_DIR/kafka-compare/common.sh"
OUT=$PERF_DIR/target/compare-consumers/run-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
RESULTS=$OUT/runs.tsv

# Both clients run in the same kind of JVM: the heap and options Kafka's perf script gives its tool.
CLIENT_HEAP=$TOOL_HEAP_OPTS
CLIENT_OPTS=$KAFKA_JVM_PERFORMANCE_OPTS

prepare_kafka_and_fjord


# Creates and fills one topic with Kafka's producer.
fill() {
  local topic=$1 partitions=$2 codec=$3
  create_topic "$topic" "$partitions" "$OUT/$topic.topic"
  "${KAFKA_TOOL[@]}" org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$RECORDS" \
    --record-size "$RECORD_SIZE" --throughput -1 --producer-props bootstrap.servers="$BOOTSTRAP" acks=1 \
    compression.type="$codec" batch.size=65536 linger.ms=10 > "$OUT/$topic.fill" 2>&1
}

# One run; appends: broker partitions codec round consumer MB_per_s fetch_MB_per_s records cpu_s cpu_s_per_GiB
run_one() {
  local broker=$1 partitions=$2 codec=$3 round=$4 consumer=$5
  local topic=c-$partitions-$codec out=$OUT/$broker-$partitions-$codec-$round-$consumer
  local group=g-$consumer-$partitions-$codec-$round
  log "  round $round, $partitions partitions, $codec, $consumer consumer"
  if [ "$consumer" = fjord ]; then
    FJORD_HEAP_OPTS=$CLIENT_HEAP FJORD_OPTS=$CLIENT_OPTS /usr/bin/time -f "%U %S" -o "$out.time" \
      "$FJORD_HOME/bin/fjord" perf consume --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
      --messages "$RECORDS" --group "$group" --timeout 30000 > "$out.out" 2>&1 || true
  else
    /usr/bin/time -f "%U %S" -o "$out.time" "${KAFKA_TOOL[@]}" org.apache.kafka.tools.ConsumerPerformance \
      --bootstrap-server "$BOOTSTRAP" --topic "$topic" --messages "$RECORDS" --group "$group" \
      --timeout 30000 > "$out.out" 2>&1 || true
  fi
  local line mbps fetch_mbps records cpu per_gib
  line=$(grep -E '^[0-9]{4}-' "$out.out" | tail -1 || true)
  mbps=$(echo "$line" | awk -F', ' '{print $4}')
  records=$(echo "$line" | awk -F', ' '{print $5}')
  fetch_mbps=$(echo "$line" | awk -F', ' '{print $9}')
  cpu=$(tail -1 "$out.time" | awk '{printf "%.2f", $1 + $2}')
  per_gib=$(awk -v c="$cpu" -v n="${records:-0}" -v s="$RECORD_SIZE" 'BEGIN {printf "%.2f", (n > 0 ? c / (n * s / 1073741824) : 0)}')
  [ -n "$line" ] && [ "$records" = "$RECORDS" ] || { mbps=NA; fetch_mbps=NA; per_gib=NA; }
  echo -e "$broker\t$partitions\t$codec\t$round\t$consumer\t$mbps\t$fetch_mbps\t${records:-0}\t$cpu\t$per_gib" >> "$RESULTS"
}

echo -e "broker\tpartitions\tcodec\tround\tconsumer\tMB_per_s\tfetch_MB_per_s\trecords\tclient_cpu_s\tclient_cpu_s_per_GiB" > "$RESULTS"
for broker in $BROKERS; do
  DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/fjord-consumers.XXXXXX")
  log "starting the $broker broker"
  # Kafka's default, and Fjord's, delays a new group's first rebalance by 3 s: the broker's wait,
  # not the client's work, so both brokers skip it (as compare-with-kafka.sh does).
  "start_$broker" "$OUT/$broker-broker" "$DATA_DIR" group.initial.rebalance.delay.ms=0
  for partitions in $PARTITION_COUNTS; do
    for codec in $CODECS; do
      log "filling c-$partitions-$codec with $RECORDS records"
      fill "c-$partitions-$codec" "$partitions" "$codec"
    done
  done
  for round in $(seq 1 "$ROUNDS"); do
    for partitions in $PARTITION_COUNTS; do
      for codec in $CODECS; do
        # Alternate which consumer goes first, so neither always reads a warmer page cache.
        if [ $((round % 2)) -eq 1 ]; then order="fjord kafka"; else order="kafka fjord"; fi
        for consumer in $order; do
          run_one "$broker" "$partitions" "$codec" "$round" "$consumer"
        done
      done
    done
  done
  stop_broker
  rm -rf "$DATA_DIR"; DATA_DIR=""
done

SUMMARY=$OUT/summary.md
{
  echo "| broker | partitions | codec | Fjord MB/s | Kafka MB/s | ratio | Fjord fetch MB/s | Kafka fetch MB/s | Fjord CPU s/GiB | Kafka CPU s/GiB | ratio |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} > "$SUMMARY"
awk -F'\t' 'NR > 1 && $6 != "NA" {
    key = $1 "\t" $2 "\t" $3 "\t" $5
    mb[key] = mb[key] " " $6; fmb[key] = fmb[key] " " $7; cpu[key] = cpu[key] " " $10
  }
  function median(list,    n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    for (key in mb) {
      split(key, k, "\t")
      if (k[4] != "fjord") continue
      other = k[1] "\t" k[2] "\t" k[3] "\tkafka"
      if (!(other in mb)) continue
      fm = median(mb[key]); km = median(mb[other]); fc = median(cpu[key]); kc = median(cpu[other])
      printf "| %s | %s | %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f | %.2f | %.2f |\n", k[1], k[2], k[3], fm, km,
        (km > 0 ? fm / km : 0), median(fmb[key]), median(fmb[other]), fc, kc, (kc > 0 ? fc / kc : 0)
    }
  }' "$RESULTS" | sort >> "$SUMMARY"
log "per-run figures: $RESULTS"
cat "$SUMMARY"
