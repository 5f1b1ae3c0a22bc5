#!/usr/bin/env bash
# Installs the Debian packages the tests need (Chromium for the viewer tests, Virtuoso for the triple-store
# tests), only if missing.
set -euo pipefail
bash "$(dirname "$0")/install-virtuoso.sh"
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "installing Debian's chromium for the browser tests..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
