#!/usr/bin/env bash
# Runs the live MLflow import test (crates/trackers/tests/mlflow_live.rs) against a freshly
# seeded local MLflow server, and stops that server however the test ends.
#
# Environment: ASSAY_MLFLOW_PORT (default 5077). The server keeps its state apart from a
# development server started by hand (.cache/mlflow-test-<port>). The first run installs
# MLflow into .cache/mlflow-venv (about 1.5 minutes); later runs take about a minute,
# mostly seeding.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${ASSAY_MLFLOW_PORT:-5077}
state_dir=".cache/mlflow-test-$port"
options=(--port "$port" --state-dir "$PWD/$state_dir")

stop_server() {
  scripts/mlflow-server.sh stop "${options[@]}" || true
}
trap stop_server EXIT

# A leftover server of an earlier run would hold stale data: start from scratch.
stop_server
settings=$(scripts/mlflow-server.sh start "${options[@]}" --seed)
ASSAY_MLFLOW_URL=$(sed -n 's/^ASSAY_MLFLOW_URL=//p' <<<"$settings")
ASSAY_MLFLOW_SEED_SUMMARY=$(sed -n 's/^ASSAY_MLFLOW_SEED_SUMMARY=//p' <<<"$settings")
if [ -z "$ASSAY_MLFLOW_URL" ] || [ -z "$ASSAY_MLFLOW_SEED_SUMMARY" ]; then
  echo "test-mlflow: the server script did not report its URL and seed summary" >&2
  exit 1
fi
export ASSAY_MLFLOW_URL ASSAY_MLFLOW_SEED_SUMMARY
export ASSAY_REQUIRE_MLFLOW=1

echo "== cargo test -p assay-trackers --test mlflow_live (server $ASSAY_MLFLOW_URL)"
cargo test -p assay-trackers --test mlflow_live
