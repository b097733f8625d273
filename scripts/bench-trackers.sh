#!/usr/bin/env bash
# Benchmarks the MLflow import: a local server seeded with BENCH_MLFLOW_RUNS runs (default
# 5000; kept in .cache/mlflow-bench so later runs skip seeding), then, in one run, the median of
# BENCH_RUNS rounds (default 5) of Assay's full import into SQLite, raw runs/search paging at
# 1000 per page and the official Python client, and the incremental re-import after 50 new
# runs. Prints the ratios against the bars (full import at most 1.1x raw paging; incremental
# under 10% of full).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_deps

port=${BENCH_MLFLOW_PORT:-5095}
state_dir="$PWD/.cache/mlflow-bench"
options=(--port "$port" --state-dir "$state_dir")
if [ "${BENCH_FRESH:-0}" = 1 ]; then
  scripts/mlflow-server.sh stop "${options[@]}" >/dev/null 2>&1 || true
  rm -rf "$state_dir"
fi
trap 'scripts/mlflow-server.sh stop "${options[@]}" >/dev/null 2>&1 || true' EXIT

cargo build --release --locked --bin assay
url=$(scripts/mlflow-server.sh start "${options[@]}" | sed -n 's/^ASSAY_MLFLOW_URL=//p')
.cache/mlflow-venv/bin/python scripts/bench_mlflow.py --url "$url" \
  --assay target/release/assay --runs "${BENCH_MLFLOW_RUNS:-5000}" --rounds "${BENCH_RUNS:-5}"
