#!/usr/bin/env bash
# Runs a command with a private D-Bus session and an unlocked GNOME Keyring, so that code using
# the OS keyring (Secret Service) talks to a real one; the keyring lives in a temporary home and
# disappears afterwards.
#   scripts/with-keyring.sh cargo test -p assay-api --test tokens
set -euo pipefail
if [ "${1:-}" != "--inside" ]; then
  exec dbus-run-session -- "$0" --inside "$@"
fi
shift
keyring_home="$(mktemp -d)"
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home/data" XDG_CONFIG_HOME="$keyring_home/config"
# The password only unlocks this throwaway keyring.
printf 'assay-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
export ASSAY_REQUIRE_KEYRING=1
"$@"
