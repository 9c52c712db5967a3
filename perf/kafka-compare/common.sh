# Shared by the perf scripts that start a Fjord broker or an Apache Kafka broker on loopback and
# drive it with Kafka's perf tools: compare-with-kafka.sh, compare-producers.sh,
# compare-consumers.sh, profile-broker.sh and scale.sh. Sourced, not run; the caller sets
# PERF_DIR first.
# shellcheck shell=bash

ROOT=$(dirname "$PERF_DIR")
SUPPORT=$PERF_DIR/kafka-compare
KAFKA_LIB=${KAFKA_LIB:-$PERF_DIR/target/kafka-compare/lib}
FJORD_HOME=${FJORD_HOME:-$ROOT/dist/target/fjord}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
FJORD_PORT=${FJORD_PORT:-19092}
KAFKA_PORT=${KAFKA_PORT:-29092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-29093}

# Kafka's launch defaults: kafka-server-start.sh's heap and -loggc, kafka-run-class.sh's JVM
# performance and JMX options; the perf tools' scripts give them -Xmx512M.
KAFKA_HEAP_OPTS="-Xmx1G -Xms1G"
KAFKA_JVM_PERFORMANCE_OPTS="-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true"
KAFKA_JMX_OPTS="-Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false"
KAFKA_LOG4J_OPTS="-Dlog4j2.configurationFile=$SUPPORT/log4j2.properties"
TOOL_HEAP_OPTS="-Xmx512M"

# A Kafka tool's JVM, as Kafka's scripts start it.
# shellcheck disable=SC2206 # the option strings hold several words on purpose
KAFKA_TOOL=("$JAVA" $TOOL_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_LOG4J_OPTS -cp "$KAFKA_LIB/*")

log() { echo "[$(date -u +%H:%M:%S)] $*"; }

port_in_use() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

# Kafka's broker, tools and their dependencies, fetched once from Maven Central; the Fjord image,
# built when missing.
prepare_kafka_and_fjord() {
  if ! ls "$KAFKA_LIB"/kafka-tools-[0-9]*.jar > /dev/null 2>&1; then
    log "fetching Apache Kafka's jars from Maven Central into $KAFKA_LIB (once)"
    mvn -B -q -f "$SUPPORT/pom.xml" package
  fi
  KAFKA_VERSION=$(basename "$(ls "$KAFKA_LIB"/kafka_2.13-*.jar)" .jar)
  KAFKA_VERSION=${KAFKA_VERSION#kafka_2.13-}
  if [ ! -x "$FJORD_HOME/bin/fjord" ]; then
    log "building the Fjord image"
    (cd "$ROOT" && mvn -B -q -pl dist -am package -DskipTests)
  fi
}

# ---- the broker process ---------------------------------------------------------------------

BROKER_PID=""
BOOTSTRAP=""

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

# Waits for the broker's line saying it takes requests (the listener opens a moment before),
# READY_TIMEOUT_S seconds at most.
wait_ready() {
  local pattern=$1 file=$2 timeout=${READY_TIMEOUT_S:-180}
  local deadline=$((SECONDS + timeout))
  until grep -q "$pattern" "$file" 2> /dev/null; do
    if ! kill -0 "$BROKER_PID" 2> /dev/null; then
      log "the broker exited before it was ready; its output:"; tail -20 "$file"; return 1
    fi
    [ "$SECONDS" -lt "$deadline" ] || { log "the broker was not ready within $timeout s"; return 1; }
    sleep 0.2
  done
}

# start_fjord DIR DATA_DIR [key=value ...]: the image's launcher as shipped (its own heap default;
# FJORD_OPTS from the environment, if any, reaches the JVM), output in DIR/broker.out.
start_fjord() {
  local dir=$1 data=$2 kv overrides=()
  shift 2
  if port_in_use "$FJORD_PORT"; then log "port $FJORD_PORT is taken"; return 1; fi
  for kv in "log.dirs=$data/data" "listeners=PLAINTEXT://127.0.0.1:$FJORD_PORT" "$@"; do
    overrides+=(--override "$kv")
  done
  mkdir -p "$dir"
  "$FJORD_HOME/bin/fjord" broker "$FJORD_HOME/conf/server.properties" "${overrides[@]}" \
    > "$dir/broker.out" 2>&1 &
  BROKER_PID=$!
  BOOTSTRAP=127.0.0.1:$FJORD_PORT
  wait_ready "ready on" "$dir/broker.out"
}

# start_kafka DIR DATA_DIR [key=value ...]: one KRaft node, broker and standalone controller,
# storage formatted by Kafka's storage tool, started with the JVM options of Kafka's scripts;
# server.properties, the format tool's output, the GC log and broker.out in DIR.
start_kafka() {
  local dir=$1 data=$2 port kv
  shift 2
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_in_use "$port"; then log "port $port is taken"; return 1; fi
  done
  mkdir -p "$dir"
  local props=$dir/server.properties
  cp "$SUPPORT/kafka-server.properties" "$props"
  cat >> "$props" <<EOF
log.dirs=$data/data
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
EOF
  for kv in "$@"; do echo "$kv" >> "$props"; done
  local cluster_id
  cluster_id=$("${KAFKA_TOOL[@]}" kafka.tools.StorageTool random-uuid) || return 1
  if ! "${KAFKA_TOOL[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$props" \
      > "$dir/format.out" 2>&1; then
    log "kafka-storage format failed:"; cat "$dir/format.out"; return 1
  fi
  launch_kafka "$props" "$dir"
}

# launch_kafka PROPS DIR: the broker of a formatted PROPS, as start_kafka starts it; again after a
# stop, on the same data. GC log and broker.out in DIR.
launch_kafka() {
  local props=$1 dir=$2 port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_in_use "$port"; then log "port $port is taken"; return 1; fi
  done
  mkdir -p "$dir"
  # shellcheck disable=SC2086
  "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS \
    "-Xlog:gc*:file=$dir/kafkaServer-gc.log:time,tags:filecount=10,filesize=100M" \
    $KAFKA_JMX_OPTS $KAFKA_LOG4J_OPTS -cp "$KAFKA_LIB/*" kafka.Kafka "$props" \
    > "$dir/broker.out" 2>&1 &
  BROKER_PID=$!
  BOOTSTRAP=127.0.0.1:$KAFKA_PORT
  wait_ready "Kafka Server started" "$dir/broker.out"
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

# SIGKILL of the broker's JVM, as a crash: no controlled shutdown, no clean-shutdown marker.
kill_broker() {
  [ -n "$BROKER_PID" ] || return 0
  local pid=$BROKER_PID
  BROKER_PID=""
  kill -KILL "$(jvm_pid "$pid")" "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
}

# ---- the workload ---------------------------------------------------------------------------

# create_topic TOPIC PARTITIONS OUT_FILE: Kafka's TopicCommand, replication factor 1.
create_topic() {
  "${KAFKA_TOOL[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create \
    --topic "$1" --partitions "$2" --replication-factor 1 > "$3" 2>&1
}

# ConsumerPerformance's stats line, spaces removed, under its header "start.time, end.time,
# data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms,
# fetch.MB.sec, fetch.nMsg.sec" (a warning may stand between the two); empty when missing.
consumer_stats() {
  grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2} ' "$1" | tail -1 | tr -d ' ' || true
}

# On exit (or Ctrl-C) the broker stops and its data directory goes; scripts set DATA_DIR per run.
DATA_DIR=""
cleanup() {
  stop_broker
  [ -z "${DATA_DIR:-}" ] || rm -rf "$DATA_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
