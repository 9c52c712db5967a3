#!/usr/bin/env bash
# Side-by-side run of two producers against the same broker: Fjord's (fjord perf produce) and
# Kafka's (ProducerPerformance), with the same flags, taking turns, on a Fjord broker and then on
# an Apache Kafka broker. Each broker is started once, fresh; each run produces to a new topic.
#
# Per run: records/s, MB/s, p99 latency (from the tools' summary line) and the client's CPU
# seconds (user + system, /usr/bin/time) per GiB sent. Per-run figures and a markdown summary
# (medians over rounds, Fjord/Kafka ratios) go to perf/target/compare-producers/. See perf/README.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: perf/compare-producers.sh [--rounds N] [--records N] [--codecs "none lz4"] [--brokers "fjord kafka"]

  --rounds N      rounds; each round runs every codec with each producer once (default 3)
  --records N     records per run, 1 KiB each (default 1000000)
  --codecs LIST   compression.type values (default "none lz4")
  --brokers LIST  which brokers to run on (default "fjord kafka")

environment: FJORD_HOME (default dist/target/fjord), JAVA_HOME,
             FJORD_PORT (19092), KAFKA_PORT (29092), KAFKA_CONTROLLER_PORT (29093)
USAGE
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

RECORD_SIZE=1024
PARTITIONS=4

PERF_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=kafka-compare/common.sh
. "$PERF_DIR/kafka-compare/common.sh"
OUT=$PERF_DIR/target/compare-producers/run-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
RESULTS=$OUT/runs.tsv

# Both clients run in the same kind of JVM: the heap and options Kafka's perf script gives its tool.
CLIENT_HEAP=$TOOL_HEAP_OPTS
CLIENT_OPTS=$KAFKA_JVM_PERFORMANCE_OPTS

prepare_kafka_and_fjord


# One run; appends: broker codec round producer records_per_s MB_per_s p99_ms cpu_s cpu_s_per_GiB
run_one() {
  local broker=$1 codec=$2 round=$3 producer=$4
  local topic=p-$producer-$codec-$round out=$OUT/$broker-$codec-$round-$producer
  create_topic "$topic" "$PARTITIONS" "$out.topic"
  local props=(bootstrap.servers="$BOOTSTRAP" acks=all compression.type="$codec")
  log "  round $round, $codec, $producer producer"
  if [ "$producer" = fjord ]; then
    FJORD_HEAP_OPTS=$CLIENT_HEAP FJORD_OPTS=$CLIENT_OPTS /usr/bin/time -f "%U %S" -o "$out.time" \
      "$FJORD_HOME/bin/fjord" perf produce --topic "$topic" --num-records "$RECORDS" --record-size "$RECORD_SIZE" \
      --throughput -1 --producer-props "${props[@]}" > "$out.out" 2>&1 || true
  else
    /usr/bin/time -f "%U %S" -o "$out.time" "${KAFKA_TOOL[@]}" org.apache.kafka.tools.ProducerPerformance \
      --topic "$topic" --num-records "$RECORDS" --record-size "$RECORD_SIZE" --throughput -1 \
      --producer-props "${props[@]}" > "$out.out" 2>&1 || true
  fi
  local summary rps mbps p99 cpu per_gib
  summary=$(grep -E "^$RECORDS records sent" "$out.out" | tail -1 || true)
  rps=$(echo "$summary" | awk -F'[ ,(]+' '{print $4}')
  mbps=$(echo "$summary" | sed -E 's/.*\(([0-9.]+) MB\/sec\).*/\1/')
  p99=$(echo "$summary" | sed -E 's/.* ([0-9]+) ms 99th.*/\1/')
  cpu=$(tail -1 "$out.time" | awk '{printf "%.2f", $1 + $2}')
  per_gib=$(awk -v c="$cpu" -v n="$RECORDS" -v s="$RECORD_SIZE" 'BEGIN {printf "%.2f", c / (n * s / 1073741824)}')
  [ -n "$summary" ] || { rps=NA; mbps=NA; p99=NA; per_gib=NA; }
  echo -e "$broker\t$codec\t$round\t$producer\t$rps\t$mbps\t$p99\t$cpu\t$per_gib" >> "$RESULTS"
}

echo -e "broker\tcodec\tround\tproducer\trecords_per_s\tMB_per_s\tp99_ms\tclient_cpu_s\tclient_cpu_s_per_GiB" > "$RESULTS"
for broker in $BROKERS; do
  DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/fjord-producers.XXXXXX")
  log "starting the $broker broker"
  "start_$broker" "$OUT/$broker-broker" "$DATA_DIR"
  for round in $(seq 1 "$ROUNDS"); do
    for codec in $CODECS; do
      # Alternate which producer goes first, so neither always runs on a warmer broker.
      if [ $((round % 2)) -eq 1 ]; then order="fjord kafka"; else order="kafka fjord"; fi
      for producer in $order; do
        run_one "$broker" "$codec" "$round" "$producer"
      done
    done
  done
  stop_broker
  rm -rf "$DATA_DIR"; DATA_DIR=""
done

SUMMARY=$OUT/summary.md
{
  echo "| broker | codec | Fjord records/s | Kafka records/s | ratio | Fjord p99 ms | Kafka p99 ms | Fjord CPU s/GiB | Kafka CPU s/GiB | ratio |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
} > "$SUMMARY"
awk -F'\t' 'NR > 1 && $5 != "NA" {
    key = $1 "\t" $2 "\t" $4
    rps[key] = rps[key] " " $5; p99[key] = p99[key] " " $7; cpu[key] = cpu[key] " " $9
  }
  function median(list,    n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    for (key in rps) {
      split(key, k, "\t")
      if (k[3] != "fjord") continue
      other = k[1] "\t" k[2] "\tkafka"
      if (!(other in rps)) continue
      fr = median(rps[key]); kr = median(rps[other]); fc = median(cpu[key]); kc = median(cpu[other])
      printf "| %s | %s | %.0f | %.0f | %.2f | %s | %s | %.2f | %.2f | %.2f |\n", k[1], k[2], fr, kr, fr / kr,
        median(p99[key]), median(p99[other]), fc, kc, (kc > 0 ? fc / kc : 0)
    }
  }' "$RESULTS" | sort >> "$SUMMARY"
log "per-run figures: $RESULTS"
cat "$SUMMARY"
