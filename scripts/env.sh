# Sourced by the scripts: the pinned bun on PATH for Reflex, no telemetry, no update checks.
project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$project_root/tools/bun/node_modules/.bin:$project_root/.venv/bin:$PATH"
export REFLEX_USE_SYSTEM_BUN=1
export REFLEX_TELEMETRY_ENABLED=false
export REFLEX_CHECK_LATEST_VERSION=false
