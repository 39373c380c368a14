#!/usr/bin/env bash
# Command 1 of the README: install everything, migrate, load demo data, and serve the app
# in production mode on http://localhost:3000 (frontend and backend on one port).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
exec reflex run --env prod --frontend-port "${PORT:-3000}" --backend-port "${PORT:-3000}"
