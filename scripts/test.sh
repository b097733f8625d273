#!/usr/bin/env bash
# Runs every check and test of Assay: formatting, lints, unit, property, integration and
# acceptance tests, including the tracker imports against a real local MLflow server and the
# W&B stand-in, the OS keyring against a real Secret Service, and questionnaires filled in by
# openpyxl. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_deps
ensure_apt_packages "${ASSAY_TEST_PACKAGES[@]}"
ensure_apt_packages "${ASSAY_DESKTOP_PACKAGES[@]}"
mkdir -p .cache

mlflow_port=${ASSAY_MLFLOW_PORT:-5077}
mlflow_options=(--port "$mlflow_port" --state-dir "$PWD/.cache/mlflow-test-$mlflow_port")
export WANDB_STANDIN_PORT=${WANDB_STANDIN_PORT:-8766}
mlflow_starter=""
stop_servers() {
  # A run that fails early must not leave the server behind that is still starting.
  if [ -n "$mlflow_starter" ]; then wait "$mlflow_starter" 2>/dev/null || true; fi
  scripts/mlflow-server.sh stop "${mlflow_options[@]}" >/dev/null 2>&1 || true
  scripts/wandb-standin.sh stop >/dev/null 2>&1 || true
}
trap stop_servers EXIT
stop_servers

# MLflow installs (first run only), starts and seeds while the lints run.
echo "== starting a seeded MLflow server on port $mlflow_port (log: .cache/mlflow-start.log)"
scripts/mlflow-server.sh start "${mlflow_options[@]}" --seed >.cache/mlflow-start.log 2>&1 &
mlflow_starter=$!

# src-tauri embeds ui/dist at compile time: build the front end before clippy and the tests.
echo "== front end (ui/): lint, type check, unit tests, build"
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run lint && npm run check \
  && npm run test && npm run build)

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== docs: the guides' paths exist, rustdoc has no warnings"
scripts/check-docs.sh
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

if ! wait "$mlflow_starter"; then
  echo "the MLflow server did not start:" >&2
  tail -n 40 .cache/mlflow-start.log >&2
  exit 1
fi
ASSAY_MLFLOW_URL=$(sed -n 's/^ASSAY_MLFLOW_URL=//p' .cache/mlflow-start.log)
ASSAY_MLFLOW_SEED_SUMMARY=$(sed -n 's/^ASSAY_MLFLOW_SEED_SUMMARY=//p' .cache/mlflow-start.log)
export ASSAY_MLFLOW_URL ASSAY_MLFLOW_SEED_SUMMARY ASSAY_REQUIRE_MLFLOW=1
echo "== MLflow at $ASSAY_MLFLOW_URL"

eval "$(scripts/wandb-standin.sh start)"
export ASSAY_WANDB_URL ASSAY_WANDB_KEY ASSAY_REQUIRE_WANDB=1
echo "== the official wandb client reads the W&B stand-in at $ASSAY_WANDB_URL"
WANDB_API_KEY=$ASSAY_WANDB_KEY .cache/wandb-venv/bin/python \
  tests/wandb-standin/check_official_client.py "$ASSAY_WANDB_URL"

# openpyxl fills in an exported questionnaire as a person's spreadsheet program would.
eval "$(scripts/openpyxl-venv.sh)"
export ASSAY_OPENPYXL_PYTHON ASSAY_REQUIRE_OPENPYXL=1
echo "== openpyxl for the questionnaire tests: $ASSAY_OPENPYXL_PYTHON"

echo "== cargo test (with a private Secret Service for the keyring tests)"
scripts/with-keyring.sh cargo test --workspace --locked
echo "== IPC types match the Rust types"
scripts/check-ipc-types.sh
echo "== desktop app end to end (tauri-driver + WebKitWebDriver under Xvfb)"
# With a Secret Service: e2e/tests/secrets.test.mjs saves a token through the app's own screen.
scripts/with-keyring.sh scripts/e2e.sh
