#!/usr/bin/env bash
# A real ClickHouse server: the engine shipped in the npm package @chdb/lib-linux-x64-gnu,
# served over HTTP by a tiny launcher (services/clickhouse/chserver.c).
# Usage: services/clickhouse.sh start|stop|status   (port: TOKENSCOPE_CLICKHOUSE_PORT, default 18123)
# With TOKENSCOPE_CLICKHOUSE_PASSWORD set, the server also has a user "tokenscope" with that
# password (stored as its SHA-256 only); the password is read from the environment, never an argument.
source "$(dirname "$0")/common.sh"

PORT=${TOKENSCOPE_CLICKHOUSE_PORT:-18123}
CHDB_VERSION=26.7.3-stable.1
PKG_DIR=$TOKENSCOPE_CACHE/chdb-$CHDB_VERSION
LIB=$PKG_DIR/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so
LAUNCHER=$TOKENSCOPE_CACHE/chserver
DIR=$TOKENSCOPE_RUN/clickhouse-$PORT
PIDFILE=$DIR/clickhouse.pid
LOG=$DIR/clickhouse.log

install() {
  if [ ! -f "$LIB" ]; then
    command -v npm >/dev/null || die "npm is not installed; it is needed to fetch ClickHouse (@chdb/lib-linux-x64-gnu)"
    echo "installing ClickHouse $CHDB_VERSION (npm @chdb/lib-linux-x64-gnu, ~540 MB)..."
    mkdir -p "$PKG_DIR"
    npm install --no-save --no-audit --no-fund --prefix "$PKG_DIR" "@chdb/lib-linux-x64-gnu@$CHDB_VERSION" \
      >"$TOKENSCOPE_CACHE/clickhouse-install.log" 2>&1 \
      || { tail -n 20 "$TOKENSCOPE_CACHE/clickhouse-install.log" >&2; die "npm could not install ClickHouse"; }
    [ -f "$LIB" ] || die "npm package installed but $LIB is missing"
  fi
  local src=$TOKENSCOPE_ROOT/services/clickhouse/chserver.c
  if [ ! -x "$LAUNCHER" ] || [ "$src" -nt "$LAUNCHER" ]; then
    command -v gcc >/dev/null || die "gcc is not installed; it is needed to build the ClickHouse launcher"
    gcc -O2 -o "$LAUNCHER" "$src" -ldl || die "could not compile $src"
  fi
}

# The embedded engine's own session logs in as "default" without a password, so that user stays;
# "tokenscope" is the one clients authenticate as.
write_users_config() {
  local hash
  hash=$(printf '%s' "$TOKENSCOPE_CLICKHOUSE_PASSWORD" | sha256sum | cut -d' ' -f1)
  cat >"$DIR/users.xml" <<XML
<clickhouse>
  <profiles><default/></profiles>
  <quotas><default/></quotas>
  <users>
    <default><password></password><networks><ip>::/0</ip></networks><profile>default</profile><quota>default</quota><access_management>1</access_management></default>
    <tokenscope><password_sha256_hex>$hash</password_sha256_hex><networks><ip>::/0</ip></networks><profile>default</profile><quota>default</quota></tokenscope>
  </users>
</clickhouse>
XML
  echo "<clickhouse><users_config>$DIR/users.xml</users_config></clickhouse>" >"$DIR/config.xml"
}

start() {
  if pid_alive "$PIDFILE" && port_open "$PORT"; then echo "clickhouse already running on 127.0.0.1:$PORT"; return 0; fi
  port_open "$PORT" && die_port_taken "$PORT" TOKENSCOPE_CLICKHOUSE_PORT
  install
  mkdir -p "$DIR/data"
  local config=()
  if [ -n "${TOKENSCOPE_CLICKHOUSE_PASSWORD:-}" ]; then
    write_users_config
    config=("$DIR/config.xml")
  fi
  nohup nice -n "$SERVICE_NICE" "$LAUNCHER" "$LIB" "$DIR/data" "$PORT" "${config[@]}" >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  wait_for_port clickhouse "$PORT" "$PIDFILE" "$LOG" 60
  local i
  for ((i = 0; i < 100; i++)); do
    [ "$(curl -s "http://127.0.0.1:$PORT/ping" 2>/dev/null)" = "Ok." ] && break
    sleep 0.1
  done
  echo "clickhouse running on http://127.0.0.1:$PORT (version $(curl -s "http://127.0.0.1:$PORT/?query=SELECT%20version()"), log: $LOG)"
}

case "${1:-}" in
  start) start ;;
  stop) stop_pidfile clickhouse "$PIDFILE" ;;
  status) if pid_alive "$PIDFILE" && port_open "$PORT"; then echo "clickhouse up on http://127.0.0.1:$PORT"; else echo "clickhouse down"; exit 1; fi ;;
  install) install ;;
  *) die "usage: $0 start|stop|status|install" ;;
esac
