#!/usr/bin/env bash
# Installs what building and testing Assay needs on Debian/Ubuntu, skipping what is present.
# Sourced by scripts/start.sh and scripts/test.sh; safe to run again and again.
set -euo pipefail

# Debian packages the build needs, and the tools the tests check reports with.
# libdbus-1-dev: the OS keyring (Secret Service) client that keeps tracker tokens.
ASSAY_APT_PACKAGES=(build-essential pkg-config ca-certificates curl libdbus-1-dev)
# gnome-keyring + dbus: a real Secret Service for the token tests; python3-venv: the local
# MLflow server and the W&B stand-in run in their own virtual environments.
ASSAY_TEST_PACKAGES=(poppler-utils qpdf chromium fonts-dejavu-core gnome-keyring dbus
  python3-venv)
# The desktop app: Tauri 2's Linux prerequisites (WebKitGTK 4.1, librsvg for icons; xdo, ssl and
# appindicator only matter once tray or shortcut features are used, but are cheap), and for its
# end-to-end tests WebKitWebDriver, a virtual X server and ImageMagick for screenshots.
ASSAY_DESKTOP_PACKAGES=(libwebkit2gtk-4.1-dev librsvg2-dev libxdo-dev libssl-dev
  libayatana-appindicator3-dev webkit2gtk-driver xvfb imagemagick)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_apt_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    [ -x "$HOME/.cargo/bin/cargo" ] || {
      echo "Installing the Rust toolchain (rustup)"
      curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    }
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  # rust-toolchain.toml pins the version; make sure its components are there.
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
}

# The WebDriver server that drives the desktop app in the end-to-end tests. Pinned to major 2:
# crates.io's newest tauri-driver is a 3.0 alpha.
ensure_tauri_driver() {
  if ! command -v tauri-driver >/dev/null 2>&1; then
    echo "Installing tauri-driver"
    cargo install tauri-driver --locked --version "^2" --quiet
  fi
}

ensure_deps() {
  ensure_apt_packages "${ASSAY_APT_PACKAGES[@]}"
  ensure_rust
}
