#!/usr/bin/env bash
# Command 2 of the README: install everything (with Debian's chromium) and run the whole suite
# twice: unit and property tests, then browser tests against the real production server,
#   1. in the embedded mode (SQLite, one worker), and
#   2. in the scaled mode (PostgreSQL and Redis from Debian's packages, several workers).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
# The suite must leave the checkout as it found it (Reflex rewrites files at every start).
status_before="$(git status --porcelain --untracked-files=all 2>/dev/null || true)"
phase() { echo "== $1 (at $((SECONDS - started)) s) =="; }
bash scripts/setup.sh --dev
source scripts/env.sh

phase "embedded mode: SQLite, one worker"
pytest -q tests/unit
pytest -q tests/e2e

phase "scaled mode: PostgreSQL, Redis, several workers"
services_were_running=0
bash scripts/local-services.sh status >/dev/null 2>&1 && services_were_running=1
eval "$(bash scripts/local-services.sh start)"
[ "$services_were_running" = 1 ] || trap 'bash scripts/local-services.sh stop' EXIT
# The tests make their own databases on this server, and use Redis database 1 (flushed).
export YONGIN_TEST_POSTGRES_URL="$YONGIN_DATABASE_URL"
export YONGIN_TEST_REDIS_URL="${YONGIN_REDIS_URL%/0}/1"
export YONGIN_TEST_WORKERS="${YONGIN_TEST_WORKERS:-3}"
unset YONGIN_DATABASE_URL YONGIN_REDIS_URL
pytest -q tests/unit  # the tests that touch a database or Redis (tests/unit/conftest.py)
pytest -q tests/e2e

phase "benchmarks, quick mode (small data, few clients: that they run, not how fast)"
python -m bench --quick
status_after="$(git status --porcelain --untracked-files=all 2>/dev/null || true)"
if [ "$status_after" != "$status_before" ]; then
  echo "the test run changed the checkout (git status before, then after):" >&2
  printf '%s\n--\n%s\n' "$status_before" "$status_after" >&2
  exit 1
fi
phase "done"
