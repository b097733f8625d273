#!/usr/bin/env bash
# Sets Assay up and runs it: builds the `assay` CLI, creates the demo assessment in
# ./demo/assay.db and prints its score. Re-running adds another demo assessment.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_deps
ensure_apt_packages "${ASSAY_DESKTOP_PACKAGES[@]}"

cargo build --release --locked --quiet --bin assay
assay=target/release/assay
mkdir -p demo
id=$("$assay" --db demo/assay.db demo)
"$assay" --db demo/assay.db score --assessment "$id"
echo
echo "Demo assessment $id is in demo/assay.db; its reports are demo/assay-demo-report.html and .pdf. Try:"
echo "  $assay --db demo/assay.db assessment show ${id:0:8}"
echo "  $assay --help"
