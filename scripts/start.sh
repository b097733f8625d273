#!/usr/bin/env bash
# Sets Assay up and runs it: installs the system packages (WebKitGTK and the rest), builds the
# front end, the desktop app and the `assay` CLI (release), creates a demo assessment the first
# time (so the screens have something to show), then starts the desktop app.
#
# The database is the app's own (~/.local/share/app.assay.desktop/assay.db), or ASSAY_DB.
# Without a display (no DISPLAY or WAYLAND_DISPLAY) everything is built and the command to
# start the app is printed instead.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_deps
ensure_apt_packages "${ASSAY_DESKTOP_PACKAGES[@]}"

echo "== front end" >&2
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
echo "== desktop app and CLI (release build; the first one takes several minutes)" >&2
cargo build --release --locked --quiet -p assay-desktop -p assay
bin=${CARGO_TARGET_DIR:-$PWD/target}/release
app=$bin/assay-desktop
assay=$bin/assay

db=${ASSAY_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/app.assay.desktop/assay.db}
if [ ! -e "$db" ]; then
  mkdir -p "$(dirname "$db")"
  id=$("$assay" --db "$db" demo 2>/dev/null)
  echo "Created the demo assessment ${id:0:8} in $db" >&2
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display here. The app is built; on a desktop session run: $app" >&2
  echo "The command line works on the same database: $assay --help" >&2
  exit 0
fi
echo "== starting $app (database $db)" >&2
ASSAY_DB="$db" exec "$app"
