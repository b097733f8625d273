#!/usr/bin/env bash
# Runs every check and test of Assay: formatting, lints, unit, property, integration and
# acceptance tests. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_deps
ensure_apt_packages "${ASSAY_TEST_PACKAGES[@]}"

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test"
cargo test --workspace --locked
