#!/usr/bin/env bash
# Installs what building, running and testing Entra Setup Wizard needs on Debian or Ubuntu, and
# only what is missing: Tauri's system libraries (apt), the UI's npm packages, and for tests
# Xvfb, WebKitWebDriver, a D-Bus session, gnome-keyring, tauri-driver and Python's venv module (the
# virtual environment of Microsoft's client libraries, made by `make python-clients`).
#
#   scripts/install-deps.sh run    # what `make run` needs
#   scripts/install-deps.sh test   # what `make test` needs (a superset)
set -euo pipefail

purpose=${1:-run}
cd "$(dirname "$0")/.."

# Tauri v2 on Linux: https://v2.tauri.app/start/prerequisites/
run_packages=(build-essential pkg-config curl file libwebkit2gtk-4.1-dev libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev)
test_packages=(xvfb webkit2gtk-driver dbus-daemon dbus-x11 gnome-keyring python3-venv)

packages=("${run_packages[@]}")
[ "$purpose" = test ] && packages+=("${test_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "Missing system packages: ${missing[*]}" >&2
    echo "This script installs them with apt-get (Debian/Ubuntu); on another system install the" >&2
    echo "equivalents listed at https://v2.tauri.app/start/prerequisites/ and run make again." >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

command -v cargo >/dev/null || { echo "Rust is missing: install it from https://rustup.rs and run make again." >&2; exit 1; }
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "Node.js 20 or newer is needed for the UI build (https://nodejs.org)." >&2
  exit 1
fi

# The UI's packages, exactly as locked; reinstalled only when the lock file changed.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  npm --prefix ui ci --no-audit --no-fund
fi

if [ "$purpose" = test ] && ! command -v tauri-driver >/dev/null; then
  cargo install tauri-driver --locked
fi
