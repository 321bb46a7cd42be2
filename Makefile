# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= smartcity.settings.base

.PHONY: run test venv lint messages bench bench-locate load faults clean wrk-installed faults-routing bench-routing

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

run: venv
	@./scripts/run.sh

test: venv
	@./scripts/test.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

# Translations (needs gettext): refresh locale/id/LC_MESSAGES/django.po from the code (English source strings),
# translate the new or fuzzy entries, then run `make messages` again to compile; commit both the .po and the .mo.
# tests/smartcity/test_translations.py fails while a string is missing, untranslated, fuzzy or not compiled.
MESSAGES_IGNORE := --ignore=.venv --ignore=static/vendor --ignore=staticfiles --ignore=test-artifacts --ignore=media
messages: venv
	$(PY) manage.py makemessages -l id --no-obsolete $(MESSAGES_IGNORE)
	@if grep -qs "gettext(" static/js/*.js; then \
		$(PY) manage.py makemessages -d djangojs -l id --no-obsolete $(MESSAGES_IGNORE) --ignore=tests; fi
	$(PY) manage.py compilemessages --ignore=.venv

bench-locate: venv
	$(PY) scripts/bench_locate.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media private_uploads test_media test_private_uploads

# --- Benchmarks, load and faults (benchmarks/); each finishes in under 20 minutes on 2 cores.
# They use their own PostgreSQL database (BENCH_DB, default "bench") and Redis db (BENCH_REDIS_URL, default /10);
# `make faults` starts its own PostgreSQL cluster and Redis server on spare ports and removes them afterwards.
wrk-installed:
	@command -v wrk >/dev/null || (apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk))

bench: venv wrk-installed
	$(PY) -m benchmarks.run

load: venv
	$(PY) -m benchmarks.load

faults: venv
	$(PY) -m benchmarks.faults

# Routing under faults (worker SIGKILL, Redis restart without persistence, broker down): 500 tickets, each
# routed exactly once. Own database (faults_routing) and its own redis-server on port 6390; < 5 minutes.
faults-routing: venv
	$(PY) scripts/faults_routing.py

# Routed tickets/s at full load and commit-to-routed latency at 50 filings/s (own database and redis on 6392).
bench-routing: venv
	$(PY) scripts/bench_routing.py
