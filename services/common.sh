# Shared by the service scripts: where things live, and waiting for a port.
# Installs are cached per machine; runtime state (data, logs, pids) lives per checkout.
set -euo pipefail

TOKENSCOPE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOKENSCOPE_CACHE=${TOKENSCOPE_CACHE:-$HOME/.cache/tokenscope}
TOKENSCOPE_RUN=${TOKENSCOPE_RUN:-$TOKENSCOPE_ROOT/.tokenscope}
mkdir -p "$TOKENSCOPE_CACHE" "$TOKENSCOPE_RUN"

# Local services run at a lower CPU priority than the producer, whose timestamps are the
# product: on a small machine they must yield the CPU when a token arrives.
SERVICE_NICE=${TOKENSCOPE_SERVICE_NICE:-10}

die() { echo "error: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Dies naming what holds PORT and what to do: a service another checkout started is told apart
# from a stranger, since the fix differs (stop it there, or pick another port here).
die_port_taken() {
  local port=$1 variable=$2 pid args home
  pid=$(ss -ltnpH "sport = :$port" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
  # The scripts run under set -euo pipefail: finding nothing here must not end them early.
  args=$([ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
  home=$(grep -o '[^ ]*/\.tokenscope/[a-z]*-[0-9]*' <<<"$args" | head -1 || true)
  if [ -n "$home" ]; then
    die "port $port is taken by a service another Tokenscope checkout started (pid $pid, ${home%/.tokenscope/*}): stop it there with ./tokenscope services stop, or set $variable to a free port"
  fi
  die "port $port is taken by another process${pid:+ (pid $pid: ${args:0:80})}; set $variable to a free port"
}

# wait_for_port NAME PORT PIDFILE LOG SECONDS
wait_for_port() {
  local name=$1 port=$2 pidfile=$3 log=$4 secs=$5 i
  for ((i = 0; i < secs * 10; i++)); do
    port_open "$port" && return 0
    if ! pid_alive "$pidfile"; then
      echo "---- last lines of $log ----" >&2; tail -n 30 "$log" >&2 || true
      die "$name exited during start-up (log: $log)"
    fi
    sleep 0.1
  done
  die "$name did not open port $port within ${secs}s (log: $log)"
}

stop_pidfile() {
  local name=$1 pidfile=$2 i
  if pid_alive "$pidfile"; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do pid_alive "$pidfile" || break; sleep 0.1; done
    pid_alive "$pidfile" && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
    echo "$name stopped"
  fi
  rm -f "$pidfile"
}
