#!/usr/bin/env bash
# `make run`: set up and serve the portal with Banjarmasin demo data.
# Embedded default: SQLite, in-process tasks, console email. With REDIS_URL set it
# also starts one Celery worker and the one beat process.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DEBUG="${DEBUG:-true}" DEMO_MODE="${DEMO_MODE:-true}"
PORT="${PORT:-8000}"
# Links in emails (confirmation, updates, stop-emails) point at the port the portal is served on.
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"

echo "Database: ${DATABASE_URL:-SQLite file db.sqlite3 (embedded)}"
if [ -n "${REDIS_URL:-}" ]; then
  echo "Tasks: Celery worker + beat on ${REDIS_URL} (cache and rate limits in Redis too)"
else
  echo "Tasks: in-process, no broker (REDIS_URL not set); cache and rate limits in the database"
fi

"$PY" scripts/ensure_database.py
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py createcachetable
"$PY" manage.py collectstatic --noinput -v 0
"$PY" manage.py seed_city
# Demo accounts and reports only in demo mode (the default here); seed_demo itself refuses otherwise.
case "${DEMO_MODE,,}" in
  1|true|yes|on) "$PY" manage.py seed_demo ;;
  *) echo "DEMO_MODE=${DEMO_MODE}: no demo accounts or reports" ;;
esac

pids=()
cleanup() {
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'cleanup; exit 0' INT TERM
if [ -n "${REDIS_URL:-}" ]; then
  .venv/bin/celery -A smartcity worker -l warning --concurrency 2 & pids+=($!)
  # Exactly one beat process: it schedules the periodic sweeps and escalations.
  .venv/bin/celery -A smartcity beat -l warning --pidfile= & pids+=($!)
else
  # No broker, so no beat: the periodic work (escalation, closing, sweeps) runs in a process of its own.
  "$PY" manage.py run_periodic & pids+=($!)
fi
echo "Serving on http://127.0.0.1:${PORT}/  (admin: http://127.0.0.1:${PORT}/admin/, health: /healthz)"
"$PY" manage.py runserver "127.0.0.1:${PORT}" --noreload & pids+=($!)
# Waiting in the background lets Ctrl-C / TERM reach the trap at once.
wait "${pids[-1]}"
