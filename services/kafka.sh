#!/usr/bin/env bash
# A real single-node KRaft Kafka broker, from the kafka_2.13 jars on Maven Central.
# Usage: services/kafka.sh start|stop|status   (port: TOKENSCOPE_KAFKA_PORT, default 19092)
source "$(dirname "$0")/common.sh"

PORT=${TOKENSCOPE_KAFKA_PORT:-19092}
CONTROLLER_PORT=$((PORT + 1))
DIR=$TOKENSCOPE_RUN/kafka-$PORT
PIDFILE=$DIR/kafka.pid
LOG=$DIR/kafka.log
CP_FILE=$TOKENSCOPE_CACHE/kafka-4.1.1.classpath

install() {
  [ -s "$CP_FILE" ] && return 0
  command -v mvn >/dev/null || die "mvn is not installed; it is needed to fetch the Kafka broker jars"
  echo "installing Kafka broker jars (Maven Central)..."
  mvn -q -B -f "$TOKENSCOPE_ROOT/services/kafka/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$CP_FILE.tmp" >"$TOKENSCOPE_CACHE/kafka-install.log" 2>&1 \
    || { tail -n 20 "$TOKENSCOPE_CACHE/kafka-install.log" >&2; die "could not resolve the Kafka broker jars"; }
  mv "$CP_FILE.tmp" "$CP_FILE"
}

start() {
  if pid_alive "$PIDFILE" && port_open "$PORT"; then echo "kafka already running on 127.0.0.1:$PORT"; return 0; fi
  port_open "$PORT" && die "port $PORT is taken by another process; set TOKENSCOPE_KAFKA_PORT"
  install
  mkdir -p "$DIR/data"
  cat >"$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DIR/data
num.partitions=4
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
  local cp java_opts="-Xms256m -Xmx1g -Dlog4j2.configurationFile=$TOKENSCOPE_ROOT/services/kafka/log4j2.properties"
  cp=$(cat "$CP_FILE")
  if [ ! -f "$DIR/data/meta.properties" ]; then
    java $java_opts -cp "$cp" kafka.tools.StorageTool format -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)" \
      -c "$DIR/server.properties" >"$DIR/format.log" 2>&1 || { cat "$DIR/format.log" >&2; die "kafka storage format failed"; }
  fi
  nohup nice -n "$SERVICE_NICE" java $java_opts -cp "$cp" kafka.Kafka "$DIR/server.properties" >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  wait_for_port kafka "$PORT" "$PIDFILE" "$LOG" 90
  echo "kafka running on 127.0.0.1:$PORT (log: $LOG)"
}

case "${1:-}" in
  start) start ;;
  stop) stop_pidfile kafka "$PIDFILE" ;;
  status) if pid_alive "$PIDFILE" && port_open "$PORT"; then echo "kafka up on 127.0.0.1:$PORT"; else echo "kafka down"; exit 1; fi ;;
  install) install ;;
  *) die "usage: $0 start|stop|status|install" ;;
esac
