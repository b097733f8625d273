#!/usr/bin/env bash
# End-to-end tests of the real desktop app: builds the front end and the debug app (plain cargo,
# no devUrl, so the binary embeds ui/dist), then drives it with tauri-driver + WebKitWebDriver
# under a virtual X server. Each test file gets a fresh database, each run a fresh export
# directory; screenshots
# go to e2e/screenshots/. With ASSAY_MLFLOW_URL set (scripts/test.sh starts a seeded server),
# the tracker import is tested too. Arguments name test files (default: all of e2e/tests/).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_deps
ensure_apt_packages "${ASSAY_DESKTOP_PACKAGES[@]}" "${ASSAY_TEST_PACKAGES[@]}"
ensure_tauri_driver

echo "== front end (ui/)"
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)

echo "== desktop app (debug build)"
cargo build --locked -p assay-desktop
app_bin="${CARGO_TARGET_DIR:-$PWD/target}/debug/assay-desktop"

echo "== end-to-end tests"
(cd e2e && npm ci --no-audit --no-fund --loglevel=error)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/exports"
rm -rf e2e/screenshots
tests=("$@")
[ "${#tests[@]}" -gt 0 ] || mapfile -t tests < <(ls e2e/tests/*.test.mjs)
# XDG_* keep the window-state file, logs and the WebKit caches out of the user's own directories.
APP_BIN="$app_bin" \
  ASSAY_E2E_WORK="$work" \
  ASSAY_EXPORT_DIR="$work/exports" \
  XDG_CONFIG_HOME="$work/home/config" \
  XDG_DATA_HOME="$work/home/data" \
  XDG_CACHE_HOME="$work/home/cache" \
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  node --test --test-concurrency=1 "${tests[@]}"
echo "Screenshots: e2e/screenshots/"
