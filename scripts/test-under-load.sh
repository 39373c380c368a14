#!/usr/bin/env bash
# The README's test command, RUNS times in a row (default 3), each with CPU contention beside it:
# stress-ng keeps BUSY_CPUS busy workers (default: one per core) for the whole run. A test that fails
# only here waits on the wrong signal or races the page; fix the cause, never the timeout.
# Stops at the first failing run. Usage: scripts/test-under-load.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
busy_cpus="${BUSY_CPUS:-$(nproc)}"

if ! command -v stress-ng >/dev/null; then
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng >/dev/null
fi

stress-ng --cpu "$busy_cpus" --quiet &
stress_pid=$!
trap 'kill "$stress_pid" 2>/dev/null || true' EXIT

for run in $(seq 1 "$runs"); do
  echo "== run $run of $runs, with $busy_cpus busy CPU workers beside it =="
  started=$SECONDS
  bash scripts/test.sh
  echo "== run $run passed in $((SECONDS - started)) s =="
done
