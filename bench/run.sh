#!/usr/bin/env bash
# The benchmark command of the README: install everything, then measure and print one table.
#   bash bench/run.sh            full mode (a million members, 50/200/500 clients; about half an hour)
#   bash bench/run.sh --quick    quick mode (small data, few clients; what CI runs)
# The scaled-mode load figures need local PostgreSQL and Redis: scripts/local-services.sh start.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
source scripts/env.sh
python -m bench "$@"
