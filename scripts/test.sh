#!/usr/bin/env bash
# Runs the whole suite. Uses DATABASE_URL / REDIS_URL when set; otherwise a local
# PostgreSQL and Redis on their standard ports when they answer; otherwise SQLite
# and in-process tasks, and it says which tests could not run. In CI (CI=true) a
# missing service fails the run instead.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

answers() { "$PY" - "$1" "$2" <<'PYEOF'
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1).close()
except OSError:
    sys.exit(1)
PYEOF
}

if [ -z "${DATABASE_URL:-}" ] && answers 127.0.0.1 5432; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/smartcity"
fi
if [ -z "${REDIS_URL:-}" ] && answers 127.0.0.1 6379; then
  export REDIS_URL="redis://127.0.0.1:6379/1"
fi

missing=()
[ -n "${DATABASE_URL:-}" ] || missing+=("PostgreSQL (tests marked postgres/worker run on SQLite or skip)")
[ -n "${REDIS_URL:-}" ] || missing+=("Redis (tests marked redis/worker skip)")
command -v "${CHROMIUM:-chromium}" >/dev/null || missing+=("chromium (browser tests marked e2e skip)")
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${CI:-}" = "true" ]; then
    printf 'CI needs these services and they are missing:\n'; printf ' - %s\n' "${missing[@]}"; exit 1
  fi
  printf 'Running without:\n'; printf ' - %s\n' "${missing[@]}"
fi
echo "Database: ${DATABASE_URL:-sqlite (embedded)} · Broker: ${REDIS_URL:-in-process}"
exec "$PY" -m pytest "$@"
