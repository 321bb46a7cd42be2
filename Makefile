# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= smartcity.settings.base

.PHONY: run test venv lint messages bench bench-locate load faults clean

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

# Recompile translation catalogues after editing locale/*/LC_MESSAGES/django.po (needs gettext).
messages: venv
	$(PY) manage.py makemessages -l id -l en --ignore=.venv --ignore=static --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

bench-locate: venv
	$(PY) scripts/bench_locate.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media private_uploads test_media test_private_uploads
