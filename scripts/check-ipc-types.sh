#!/usr/bin/env bash
# The TypeScript types of the desktop app's IPC are generated from the Rust types (ts-rs, the
# `ts` feature) and committed in ui/src/ipc/bindings/. This regenerates them into a temporary
# directory and fails when the committed files differ. `--write` updates the committed files.
set -euo pipefail
cd "$(dirname "$0")/.."
committed=ui/src/ipc/bindings

# The app embeds ui/dist at compile time, so it must exist for the crate to build.
if [ ! -f ui/dist/index.html ]; then
  (cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
fi

generate() {
  ASSAY_BINDINGS_DIR="$1" cargo test --locked --quiet -p assay-desktop --features ts --lib \
    bindings::bindings >/dev/null
}

if [ "${1:-}" = "--write" ]; then
  generate "$PWD/$committed"
  echo "Wrote $committed/"
  exit 0
fi

fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
generate "$fresh/bindings"
if ! diff -ru "$committed" "$fresh/bindings"; then
  echo "The IPC types in $committed/ do not match the Rust types; run scripts/check-ipc-types.sh --write and commit the result." >&2
  exit 1
fi
echo "IPC types are up to date."
