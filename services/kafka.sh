#!/usr/bin/env bash
# A real single-node KRaft Kafka broker, from the kafka_2.13 jars on Maven Central.
# Usage: services/kafka.sh start|stop|status   (port: TOKENSCOPE_KAFKA_PORT, default 19092)
# With TOKENSCOPE_KAFKA_PASSWORD set, the client listener is SASL_SSL instead of PLAINTEXT: user
# "tokenscope" with that password (SASL/PLAIN), a self-signed certificate for 127.0.0.1, and
# $DIR/client.properties holding what a client needs (pass it as --kafka-properties).
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

# A self-signed certificate for 127.0.0.1, the broker's SASL/PLAIN user, and the client settings.
# Store passwords are random and stay in files under $DIR (mode 600), never on a command line.
sasl_ssl_setup() {
  command -v keytool >/dev/null || die "keytool (from the JDK) is needed for TOKENSCOPE_KAFKA_PASSWORD"
  local store
  if [ ! -f "$DIR/store.password" ]; then
    head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$DIR/store.password"
  fi
  store=$(cat "$DIR/store.password")
  if [ ! -f "$DIR/broker.p12" ]; then
    rm -f "$DIR/truststore.p12"
    keytool -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity 3650 -dname "CN=127.0.0.1" \
      -ext "SAN=IP:127.0.0.1,DNS:localhost" -keystore "$DIR/broker.p12" -storetype PKCS12 \
      -storepass:file "$DIR/store.password" >"$DIR/keytool.log" 2>&1 || die "keytool could not make a certificate"
    keytool -exportcert -alias broker -keystore "$DIR/broker.p12" -storepass:file "$DIR/store.password" -rfc \
      -file "$DIR/broker.crt" >>"$DIR/keytool.log" 2>&1
    keytool -importcert -noprompt -alias broker -file "$DIR/broker.crt" -keystore "$DIR/truststore.p12" \
      -storetype PKCS12 -storepass:file "$DIR/store.password" >>"$DIR/keytool.log" 2>&1
  fi
  local jaas="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"tokenscope\" password=\"$TOKENSCOPE_KAFKA_PASSWORD\""
  cat >>"$DIR/server.properties" <<PROPS
sasl.enabled.mechanisms=PLAIN
sasl.mechanism.inter.broker.protocol=PLAIN
listener.name.sasl_ssl.plain.sasl.jaas.config=$jaas user_tokenscope="$TOKENSCOPE_KAFKA_PASSWORD";
ssl.keystore.location=$DIR/broker.p12
ssl.keystore.type=PKCS12
ssl.keystore.password=$store
ssl.key.password=$store
ssl.truststore.location=$DIR/truststore.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$store
PROPS
  cat >"$DIR/client.properties" <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=PLAIN
sasl.jaas.config=$jaas;
ssl.truststore.location=$DIR/truststore.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$store
PROPS
}

start() {
  if pid_alive "$PIDFILE" && port_open "$PORT"; then echo "kafka already running on 127.0.0.1:$PORT"; return 0; fi
  port_open "$PORT" && die_port_taken "$PORT" TOKENSCOPE_KAFKA_PORT
  install
  mkdir -p "$DIR/data"
  local listener=PLAINTEXT
  [ -n "${TOKENSCOPE_KAFKA_PASSWORD:-}" ] && listener=SASL_SSL
  umask 077
  cat >"$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=$listener://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=$listener://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=$listener:$listener,CONTROLLER:PLAINTEXT
inter.broker.listener.name=$listener
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
  [ "$listener" = SASL_SSL ] && sasl_ssl_setup
  local cp java_opts="-Xms256m -Xmx1g -Dlog4j2.configurationFile=$TOKENSCOPE_ROOT/services/kafka/log4j2.properties"
  cp=$(cat "$CP_FILE")
  if [ ! -f "$DIR/data/meta.properties" ]; then
    java $java_opts -cp "$cp" kafka.tools.StorageTool format -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)" \
      -c "$DIR/server.properties" >"$DIR/format.log" 2>&1 || { cat "$DIR/format.log" >&2; die "kafka storage format failed"; }
  fi
  nohup nice -n "$SERVICE_NICE" java $java_opts -cp "$cp" kafka.Kafka "$DIR/server.properties" >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  wait_for_port kafka "$PORT" "$PIDFILE" "$LOG" 90
  echo "kafka running on 127.0.0.1:$PORT ($listener; log: $LOG)"
}

case "${1:-}" in
  start) start ;;
  stop) stop_pidfile kafka "$PIDFILE" ;;
  status) if pid_alive "$PIDFILE" && port_open "$PORT"; then echo "kafka up on 127.0.0.1:$PORT"; else echo "kafka down"; exit 1; fi ;;
  install) install ;;
  *) die "usage: $0 start|stop|status|install" ;;
esac
