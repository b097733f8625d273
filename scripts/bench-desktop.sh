#!/usr/bin/env bash
# Benchmarks the desktop app against an empty Tauri 2 window built the same way
# (bench/empty-window: same tauri version, window, CSP and release profile), side by side in
# one run under a virtual X server: start time until WebDriver finds the first screen's main
# element, total PSS of the app and its WebKit processes 5 s after start, and the answer-save
# round trip (key press -> SQLite -> screen). Assay's database holds 20 assessments.
#
#   BENCH_ROUNDS=7   rounds (each starts the four apps: Assay and the empty window, each with and
#                    without GPU compositing; the order rotates)
#   BENCH_SAVES=300  answer saves per round
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_deps
ensure_apt_packages "${ASSAY_DESKTOP_PACKAGES[@]}" "${ASSAY_TEST_PACKAGES[@]}"
ensure_tauri_driver

echo "== build (release): front end, desktop app, empty window, CLI" >&2
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
cargo build --release --locked -p assay-desktop -p assay-empty-window -p assay
bin=${CARGO_TARGET_DIR:-$PWD/target}/release
(cd e2e && npm ci --no-audit --no-fund --loglevel=error)

work=$(mktemp -d "${TMPDIR:-/tmp}/assay-bench-desktop.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "== seeding 20 assessments" >&2
for _ in $(seq 20); do "$bin/assay" --db "$work/seed.db" demo >/dev/null 2>&1; done
mkdir -p "$work/home"

ASSAY_APP_BIN="$bin/assay-desktop" \
  EMPTY_APP_BIN="$bin/assay-empty-window" \
  BENCH_DB="$work/seed.db" \
  XDG_CONFIG_HOME="$work/home/config" \
  XDG_DATA_HOME="$work/home/data" \
  XDG_CACHE_HOME="$work/home/cache" \
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  node e2e/bench/desktop.mjs
