#!/usr/bin/env bash
# Installs OpenLink Virtuoso 7 (Debian's virtuoso-opensource) for tests/test_virtuoso.py, only if missing.
# The tests start their own server (tests/virtuoso_server.py: a virtuoso.ini in a temporary folder, both
# ports on 127.0.0.1), so the service the package may set up is not needed: it is stopped and disabled
# where systemd runs. Without Virtuoso those tests skip, saying why.
set -euo pipefail
if command -v virtuoso-t >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "installing Debian's virtuoso-opensource for the Virtuoso tests..." >&2
$SUDO apt-get update -qq
# The package asks for a dba password through debconf; noninteractive keeps its default (dba).
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq virtuoso-opensource >/dev/null
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now virtuoso-opensource-7 >/dev/null 2>&1 || true
fi
command -v virtuoso-t >/dev/null
