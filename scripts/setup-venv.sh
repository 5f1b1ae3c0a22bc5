#!/usr/bin/env bash
# Creates (or re-uses) the project's virtual environment .venv and installs ldngraph into it, editable.
#
#   bash scripts/setup-venv.sh                 # ldngraph and its dependencies (make quickstart)
#   bash scripts/setup-venv.sh --extras test   # plus the test tools (make test)
#   bash scripts/setup-venv.sh --apt-if-root   # as root, apt-get install python3-venv when venv is missing
#
# Works on a stock Debian/Ubuntu Python (PEP 668, "externally-managed-environment"): nothing is installed
# outside .venv. A healthy .venv is re-used; a broken one (interpreter gone, no pip) is made again.
# pip runs only when pyproject.toml, setup.py or the extras changed since the last install.
# Environment: PYTHON (default python3) makes the venv, VENV (default .venv) is where it goes.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV="${VENV:-.venv}"
EXTRAS=""
APT_IF_ROOT=0
while [ $# -gt 0 ]; do
  case "$1" in
    --extras) EXTRAS="$2"; shift 2 ;;
    --apt-if-root) APT_IF_ROOT=1; shift ;;
    *) echo "setup-venv.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

say() { echo "setup-venv: $*" >&2; }

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  say "no $PYTHON on PATH: install Python 3.11 or newer (Debian/Ubuntu: apt-get install python3 python3-venv)"
  exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  say "ldngraph needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -c 'import sys; print(sys.version.split()[0])')"
  say "give another interpreter with: make PYTHON=python3.11 ..."
  exit 1
fi

venv_module_works() { "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; }

# Healthy: its python runs and is 3.11+, pip works, and its scripts were made for this folder (a venv copied
# or cloned from elsewhere has scripts whose #! line points at the other folder's python).
venv_is_healthy() {
  [ -x "$VENV/bin/python" ] && [ -f "$VENV/bin/pip" ] || return 1
  "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 || return 1
  "$VENV/bin/python" -m pip --version >/dev/null 2>&1 || return 1
  local here shebang
  here="$(cd "$VENV" && pwd -P)"
  shebang="$(head -n 1 "$VENV/bin/pip")"
  case "$shebang" in
    "#!$here/bin/"* | "#!$(cd "$VENV" && pwd)/bin/"*) return 0 ;;
    *) return 1 ;;
  esac
}

missing_venv_message() {
  say "$PYTHON cannot make a virtual environment (no venv/ensurepip module): run 'sudo apt-get install python3-venv' (Debian/Ubuntu), then make again"
}

if ! venv_is_healthy; then
  if ! venv_module_works; then
    if [ "$APT_IF_ROOT" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing Debian's python3-venv (running as root)..."
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    fi
    if ! venv_module_works; then
      missing_venv_message
      exit 1
    fi
  fi
  if [ -e "$VENV" ]; then
    say "$VENV is broken (no working python or pip in it, or made for another folder); making it again"
    rm -rf "$VENV"
  fi
  say "creating the virtual environment $VENV with $PYTHON -m venv"
  if ! "$PYTHON" -m venv "$VENV"; then
    rm -rf "$VENV"
    missing_venv_message
    exit 1
  fi
fi

# Install (editable) unless the same install is already there: same pyproject.toml and setup.py, the extras
# asked for (an install with [test] also serves a plain one), ldngraph importable from this checkout.
stamp="$VENV/.ldngraph-install"
inputs="$(cat pyproject.toml setup.py | cksum) at $(pwd)"
if [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$inputs" ] && [ -x "$VENV/bin/ldngraph" ] \
  && { [ -z "$EXTRAS" ] || [ "$(sed -n 2p "$stamp")" = "extras=$EXTRAS" ]; } \
  && "$VENV/bin/python" -c 'import sys, ldngraph; sys.exit(not ldngraph.__file__.startswith(sys.argv[1]))' \
    "$(pwd)/src/" >/dev/null 2>&1; then
  exit 0
fi
target="."
if [ -n "$EXTRAS" ]; then target=".[$EXTRAS]"; fi
say "installing ldngraph${EXTRAS:+ with [$EXTRAS]} into $VENV (pip install -e '$target')"
rm -f "$stamp"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$target"
printf '%s\nextras=%s\n' "$inputs" "$EXTRAS" > "$stamp"
