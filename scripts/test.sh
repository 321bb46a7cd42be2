#!/usr/bin/env bash
# `make test`: runs the whole suite (arguments go to pytest).
# Uses DATABASE_URL / REDIS_URL when set; otherwise a local PostgreSQL and Redis on
# their standard ports when they answer (and let us in); otherwise SQLite and
# in-process tasks, and it says which tests could not run. In CI (CI=true) a
# missing service fails the run instead.
# LOCAL_POSTGRES / LOCAL_REDIS (host:port) change where "local" is looked for; TEST_PROCESSES how many
# processes share the suite (below).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
LOCAL_POSTGRES="${LOCAL_POSTGRES:-127.0.0.1:5432}"
LOCAL_REDIS="${LOCAL_REDIS:-127.0.0.1:6379}"

# Succeeds when a PostgreSQL server at host:port accepts us (user from PGUSER, default postgres).
postgres_answers() { "$PY" - "$1" <<'PYEOF'
import os, sys
import psycopg2
host, port = sys.argv[1].rsplit(":", 1)
try:
    psycopg2.connect(host=host, port=int(port), user=os.environ.get("PGUSER", "postgres"),
                     password=os.environ.get("PGPASSWORD") or None, dbname="postgres", connect_timeout=2).close()
except Exception:
    sys.exit(1)
PYEOF
}

redis_answers() { "$PY" - "$1" <<'PYEOF'
import sys
import redis
host, port = sys.argv[1].rsplit(":", 1)
try:
    redis.Redis(host=host, port=int(port), socket_connect_timeout=1, socket_timeout=1).ping()
except Exception:
    sys.exit(1)
PYEOF
}

if [ -z "${DATABASE_URL:-}" ] && postgres_answers "$LOCAL_POSTGRES"; then
  pg_user="${PGUSER:-postgres}"
  pg_auth="$pg_user${PGPASSWORD:+:$PGPASSWORD}"
  export DATABASE_URL="postgres://${pg_auth}@${LOCAL_POSTGRES}/smartcity"
fi
if [ -z "${REDIS_URL:-}" ] && redis_answers "$LOCAL_REDIS"; then
  export REDIS_URL="redis://${LOCAL_REDIS}/1"
fi

missing=()
case "${DATABASE_URL:-}" in
  postgres*) ;;
  *) missing+=("PostgreSQL: tests marked postgres/worker are skipped, the rest run on SQLite") ;;
esac
[ -n "${REDIS_URL:-}" ] || missing+=("Redis: tests marked redis/worker are skipped, tasks run in-process")
command -v "${CHROMIUM:-chromium}" >/dev/null || missing+=("chromium: browser tests marked e2e are skipped")
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${CI:-}" = "true" ]; then
    printf 'CI needs these and they are missing:\n'; printf ' - %s\n' "${missing[@]}"; exit 1
  fi
  printf 'Running without:\n'; printf ' - %s\n' "${missing[@]}"
fi
# The suite's own settings (fast password hashing, a Redis database per test process), set here because the
# Makefile exports the base settings for `make run` and pytest-django prefers the environment to pyproject.toml.
export DJANGO_SETTINGS_MODULE=smartcity.settings.test
echo "Database: ${DATABASE_URL:-SQLite (embedded)} · Broker: ${REDIS_URL:-in-process}"
# Each skipped test is listed with its reason at the end (-ra in pyproject.toml).
# TEST_PROCESSES (default 2, pytest-xdist) processes, each with its own test database and Redis database
# (smartcity/settings/test.py); 0 runs the suite in this one process.
exec "$PY" -m pytest -n "${TEST_PROCESSES:-2}" "$@"
