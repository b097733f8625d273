#!/usr/bin/env bash
# Starts or stops the local W&B GraphQL stand-in (tests/wandb-standin/standin.py).
#
#   scripts/wandb-standin.sh start   # installs the venv if needed, starts, waits until ready
#   scripts/wandb-standin.sh stop
#   scripts/wandb-standin.sh status  # exit 3 when not running
#
# Env: WANDB_STANDIN_PORT (default 8765), WANDB_STANDIN_KEY (40 chars; a fixed test key by
# default), WANDB_STANDIN_STATE (pid/log dir), PYTHON (interpreter for the venv).
# The last lines of `start` are `export ...` lines for ASSAY_WANDB_URL / ASSAY_WANDB_KEY.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PORT=${WANDB_STANDIN_PORT:-8765}
KEY=${WANDB_STANDIN_KEY:-standin0standin1standin2standin3standin4}
STATE=${WANDB_STANDIN_STATE:-${TMPDIR:-/tmp}/wandb-standin-$PORT}
VENV=$ROOT/.cache/wandb-venv
# Pinned so the official-client check is reproducible; a new wandb release may add fields.
SPEC="wandb==0.31.0 graphql-core==3.3.2"
PIDFILE=$STATE/standin.pid
LOG=$STATE/standin.log
URL=http://127.0.0.1:$PORT

die() { echo "wandb-standin: $*" >&2; exit 1; }

ensure_venv() {
  if [[ -x $VENV/bin/python && "$(cat "$VENV/.assay-spec" 2>/dev/null)" == "$SPEC" ]]; then
    return
  fi
  local python=${PYTHON:-python3}
  command -v "$python" >/dev/null || die "no $python: install Python 3.9+ first"
  echo "wandb-standin: creating $VENV ($SPEC)" >&2
  "$python" -m venv "$VENV"
  # shellcheck disable=SC2086
  "$VENV/bin/pip" install --quiet --disable-pip-version-check $SPEC >"$VENV/pip.log" 2>&1 \
    || { tail -n 20 "$VENV/pip.log" >&2; die "pip install failed"; }
  echo "$SPEC" >"$VENV/.assay-spec"
}

running_pid() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

healthy() { curl -fsS --max-time 2 "$URL/healthz" >/dev/null 2>&1; }

print_env() {
  echo "export ASSAY_WANDB_URL=$URL"
  echo "export ASSAY_WANDB_KEY=$KEY"
}

start() {
  [[ ${#KEY} -eq 40 ]] || die "WANDB_STANDIN_KEY must be 40 characters (W&B key length)"
  mkdir -p "$STATE"
  if pid=$(running_pid); then
    if healthy; then
      echo "wandb-standin: already running (pid $pid) on $URL" >&2
      print_env
      return
    fi
    die "pid $pid is alive but $URL does not answer; run '$0 stop' first"
  fi
  rm -f "$PIDFILE"
  if healthy || (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "port $PORT is taken by another process; set WANDB_STANDIN_PORT"
  fi
  ensure_venv
  : >"$STATE/requests.jsonl"
  nohup "$VENV/bin/python" tests/wandb-standin/standin.py \
    --world tests/wandb-standin/world.json --port "$PORT" --api-key "$KEY" \
    --log "$STATE/requests.jsonl" >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local deadline=$((SECONDS + ${WANDB_STANDIN_TIMEOUT:-30}))
  until healthy; do
    if ! running_pid >/dev/null; then
      tail -n 20 "$LOG" >&2
      die "the stand-in exited during startup"
    fi
    ((SECONDS < deadline)) || { stop; die "not ready within ${WANDB_STANDIN_TIMEOUT:-30}s"; }
    sleep 0.2
  done
  echo "wandb-standin: ready on $URL (pid $(cat "$PIDFILE"), log $LOG)" >&2
  print_env
}

stop() {
  local pid
  if pid=$(running_pid); then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    echo "wandb-standin: stopped pid $pid" >&2
  fi
  rm -f "$PIDFILE"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status)
    if pid=$(running_pid) && healthy; then echo "running (pid $pid) on $URL"; else echo "not running"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
