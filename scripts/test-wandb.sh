#!/usr/bin/env bash
# The W&B importer's end-to-end checks against the local GraphQL stand-in:
#   1. the official wandb SDK reads the stand-in and gets the fixture back (shapes check);
#   2. the Rust importer's tests run against it (ASSAY_REQUIRE_WANDB=1: no silent skip).
# Starts the stand-in on a free-ish port and always stops it on exit.
# Env: WANDB_STANDIN_PORT (default 8766, apart from the default of a manual start),
# CARGO_TARGET_DIR (passed through to cargo).
set -euo pipefail
cd "$(dirname "$0")/.."

export WANDB_STANDIN_PORT=${WANDB_STANDIN_PORT:-8766}
trap 'scripts/wandb-standin.sh stop' EXIT

started=$SECONDS
eval "$(scripts/wandb-standin.sh start)"
echo "== stand-in up in $((SECONDS - started))s at $ASSAY_WANDB_URL"

echo "== official wandb client against the stand-in"
WANDB_API_KEY=$ASSAY_WANDB_KEY .cache/wandb-venv/bin/python \
  tests/wandb-standin/check_official_client.py "$ASSAY_WANDB_URL"

echo "== cargo test -p assay-trackers --test wandb_standin"
ASSAY_REQUIRE_WANDB=1 cargo test -p assay-trackers --test wandb_standin
echo "== W&B checks done in $((SECONDS - started))s"
