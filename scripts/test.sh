#!/usr/bin/env bash
# Command 2 of the README: install everything (with Debian's chromium) and run the whole suite:
# unit and property tests, then browser tests against the real production server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
source scripts/env.sh
pytest -q tests/unit
pytest -q tests/e2e
