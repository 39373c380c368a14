#!/usr/bin/env bash
# The scaled mode: migrate, then serve the app with several backend workers against the
# PostgreSQL and Redis servers named by the environment:
#   YONGIN_DATABASE_URL=postgresql+psycopg://user:password@host:5432/yongin
#   YONGIN_REDIS_URL=redis://host:6379/0
#   WORKERS=N (default: one per CPU core), PORT (default 3000)
# To try it on one Debian machine: eval "$(bash scripts/local-services.sh start)" first.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${YONGIN_DATABASE_URL:?set YONGIN_DATABASE_URL to a postgresql+psycopg:// URL}"
: "${YONGIN_REDIS_URL:?set YONGIN_REDIS_URL to a redis:// URL}"
bash scripts/setup.sh
source scripts/env.sh
export GRANIAN_WORKERS="${WORKERS:-$(nproc)}"
exec reflex run --env prod --frontend-port "${PORT:-3000}" --backend-port "${PORT:-3000}"
