#!/usr/bin/env bash
# Local MLflow tracking server for the tracker import tests.
#
#   scripts/mlflow-server.sh start  [--port P] [--seed] [--state-dir D] [--timeout S]
#   scripts/mlflow-server.sh stop   [--port P] [--state-dir D]
#   scripts/mlflow-server.sh status [--port P] [--state-dir D]
#
# start   installs MLflow into .cache/mlflow-venv on first use (pinned versions; a marker
#         file makes later runs skip pip), then serves 127.0.0.1:P from a SQLite store with
#         proxied artifacts kept in the state directory, and waits for /health.
#         With --seed the state directory is wiped first (the seeded scenario expects an
#         empty server) and scripts/seed_mlflow.py writes D/seed-summary.json. If this
#         script's server is already up it is reused; with --seed it must have been seeded.
# stop    ends the server's whole process group (MLflow forks uvicorn and job workers).
# status  exit 0 when running and healthy, 3 otherwise.
#
# The last lines of a successful start are `ASSAY_MLFLOW_URL=...` and
# `ASSAY_MLFLOW_SEED_SUMMARY=...` (the latter with --seed), ready for `eval`/`export`.
#
# Environment: PYTHON (default python3), PIP_EXTRA (extra pip arguments, e.g. a mirror).
set -euo pipefail

MLFLOW_VERSION=3.17.2
FAIRLEARN_VERSION=0.15.0
SCIKIT_LEARN_VERSION=1.9.1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.cache/mlflow-venv"
PYTHON="${PYTHON:-python3}"

command_name=${1:-}
[ $# -gt 0 ] && shift
port=5055
seed=0
state_dir=""
timeout=180

fail() { echo "mlflow-server: $*" >&2; exit 1; }
say() { echo "mlflow-server: $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=${2:?--port needs a value}; shift 2 ;;
    --seed) seed=1; shift ;;
    --state-dir) state_dir=${2:?--state-dir needs a value}; shift 2 ;;
    --timeout) timeout=${2:?--timeout needs a value}; shift 2 ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) fail "unknown argument '$1' (try --help)" ;;
  esac
done

if ! [[ $port =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
  fail "--port must be a number between 1 and 65535"
fi
[[ $timeout =~ ^[0-9]+$ ]] || fail "--timeout must be a number of seconds"
state_dir=${state_dir:-$ROOT/.cache/mlflow-$port}
pid_file="$state_dir/server.pid"
log_file="$state_dir/server.log"
summary="$state_dir/seed-summary.json"
url="http://127.0.0.1:$port"

is_healthy() {
  [ "$(curl -fsS --max-time 2 "$url/health" 2>/dev/null || true)" = "OK" ]
}

recorded_pid() {
  local pid
  [ -f "$pid_file" ] || return 1
  pid=$(<"$pid_file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  echo "$pid"
}

is_alive() {
  local pid
  pid=$(recorded_pid) || return 1
  kill -0 "$pid" 2>/dev/null
}

port_taken() {
  # Anything accepting connections on the port counts, whoever owns it.
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

install_venv() {
  local wanted="mlflow==$MLFLOW_VERSION fairlearn==$FAIRLEARN_VERSION scikit-learn==$SCIKIT_LEARN_VERSION"
  local marker="$VENV/.installed"
  if [ -x "$VENV/bin/mlflow" ] && [ -f "$marker" ] && [ "$(<"$marker")" = "$wanted" ]; then
    return 0
  fi
  command -v "$PYTHON" >/dev/null || fail "$PYTHON not found; set PYTHON to a Python 3.10+ interpreter"
  mkdir -p "$(dirname "$VENV")"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV" \
    || fail "could not create $VENV (is the venv module installed?)"
  say "installing $wanted into $VENV (first time: about 1.5 minutes)"
  local started=$SECONDS pip_log="$VENV/pip.log"
  local -a extra=()
  if [ -n "${PIP_EXTRA:-}" ]; then read -r -a extra <<<"$PIP_EXTRA"; fi
  # shellcheck disable=SC2086 # $wanted is a list of requirement specifiers
  if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --quiet \
    ${extra[@]+"${extra[@]}"} $wanted >"$pip_log" 2>&1; then
    tail -n 20 "$pip_log" >&2
    fail "pip install failed (full log: $pip_log)"
  fi
  echo "$wanted" >"$marker"
  say "pip install took $((SECONDS - started)) s"
}

stop_server() {
  local pid
  if ! pid=$(recorded_pid) || ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$pid_file"
    say "not running"
    return 0
  fi
  say "stopping process group $pid"
  kill -TERM -- "-$pid" 2>/dev/null || true
  # MLflow's job workers take several seconds to wind down after TERM.
  local waited=0
  while kill -0 -- "-$pid" 2>/dev/null; do
    if [ "$waited" -ge 200 ]; then
      say "still running after 20 s; sending KILL"
      kill -KILL -- "-$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -f "$pid_file"
  say "stopped"
}

print_env() {
  echo "ASSAY_MLFLOW_URL=$url"
  if [ "$seed" = 1 ]; then echo "ASSAY_MLFLOW_SEED_SUMMARY=$summary"; fi
}

start_server() {
  command -v curl >/dev/null || fail "curl is required"
  command -v setsid >/dev/null || fail "setsid (util-linux) is required"
  if is_alive && is_healthy; then
    if [ "$seed" = 1 ] && [ ! -f "$summary" ]; then
      fail "the running server on port $port was not seeded; stop it first"
    fi
    say "already running on $url (pid $(recorded_pid))"
    print_env
    return 0
  fi
  if is_alive; then
    say "recorded server is not healthy; restarting it"
    stop_server
  fi
  rm -f "$pid_file"
  if port_taken; then
    fail "port $port is already in use by another program; pick another with --port"
  fi
  install_venv
  if [ "$seed" = 1 ]; then
    rm -rf "$state_dir/mlflow.db" "$state_dir/artifacts" "$summary"
  fi
  mkdir -p "$state_dir/artifacts"

  say "starting MLflow $MLFLOW_VERSION on $url (log: $log_file)"
  local started=$SECONDS
  # setsid gives the server its own process group; the inner shell records its pid (the
  # group leader) before turning into mlflow, so stop can signal the whole group.
  (
    cd "$state_dir"
    # shellcheck disable=SC2016 # expanded by the inner shell, on purpose
    exec setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pid_file" \
      "$VENV/bin/mlflow" server \
      --backend-store-uri "sqlite:///$state_dir/mlflow.db" \
      --artifacts-destination "$state_dir/artifacts" --serve-artifacts \
      --host 127.0.0.1 --port "$port" --workers 1 \
      </dev/null >"$log_file" 2>&1
  ) &
  local launcher=$! deadline=$((SECONDS + timeout))
  until is_healthy; do
    if { [ -f "$pid_file" ] && ! is_alive; } || { [ ! -f "$pid_file" ] && ! kill -0 "$launcher" 2>/dev/null; }; then
      tail -n 30 "$log_file" >&2 || true
      rm -f "$pid_file"
      fail "the server exited during start-up (log: $log_file)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$log_file" >&2 || true
      stop_server
      fail "no healthy answer from $url/health within $timeout s"
    fi
    sleep 0.5
  done
  say "ready after $((SECONDS - started)) s (pid $(recorded_pid))"

  if [ "$seed" = 1 ]; then
    local seeded=$SECONDS
    say "seeding the scenario"
    if ! "$VENV/bin/python" "$ROOT/scripts/seed_mlflow.py" --tracking-uri "$url" \
      --summary "$summary" >"$state_dir/seed.log" 2>&1; then
      tail -n 30 "$state_dir/seed.log" >&2 || true
      fail "seeding failed (log: $state_dir/seed.log)"
    fi
    say "seeded in $((SECONDS - seeded)) s; summary: $summary"
  fi
  print_env
}

case "$command_name" in
  start) start_server ;;
  stop) stop_server ;;
  status)
    if is_alive && is_healthy; then
      echo "running: pid $(recorded_pid), $url"
    else
      echo "not running"
      exit 3
    fi
    ;;
  *) fail "usage: $0 start|stop|status [--port P] [--seed] [--state-dir D] [--timeout S]" ;;
esac
