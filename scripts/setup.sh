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
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
    fi
  fi
else
  .venv/bin/python -m pip install --quiet -r requirements.txt
fi
npm ci --prefix tools/bun --no-audit --no-fund --loglevel=error
.venv/bin/python -m yongin_app.cli migrate
.venv/bin/python -m yongin_app.cli demo-data
