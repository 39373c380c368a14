#!/usr/bin/env bash
# Installs everything the app needs into the project: a Python virtualenv with the pinned
# packages, and the pinned bun from the npm registry (Reflex cannot download bun offline).
# Then brings the database to the latest migration and loads the demo data (if enabled).
# Usage: scripts/setup.sh [--dev]   (--dev adds the test tools and Debian's chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

python_bin="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python_bin" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install --quiet -r requirements-dev.txt
  # Debian packages the tests need: the browser, Korean fonts for it, and zbar for reading barcodes.
  missing=()
  for package in chromium fonts-noto-cjk libzbar0; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
else
  .venv/bin/python -m pip install --quiet -r requirements.txt
fi
npm ci --prefix tools/bun --no-audit --no-fund --loglevel=error
.venv/bin/python -m yongin_app.cli migrate
.venv/bin/python -m yongin_app.cli demo-data
