# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint messages schema chromium clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## make run: install, migrate, load the network and the demo, serve on http://127.0.0.1:8000
run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_reference
	DEBUG=1 $(PY) manage.py demo_users
	DEBUG=1 $(PY) manage.py demo_data
	DEBUG=1 $(PY) manage.py demo_experts
	DEBUG=1 $(PY) manage.py demo_surveys
	DEBUG=1 $(PY) manage.py demo_documents
	DEBUG=1 $(PY) manage.py demo_conferences
	DEBUG=1 $(PY) manage.py demo_meetings
	DEBUG=1 $(PY) manage.py demo_results
	DEBUG=1 $(PY) manage.py demo_training
	@echo "cbhub is starting on http://127.0.0.1:8000 with its jobs worker (Ctrl-C stops both)"
	DEBUG=1 $(PY) manage.py jobs_worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
		DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## make test: the whole suite, browser tests included (DATABASE_URL picks the database)
test: $(STAMP) chromium
	$(PY) -m pytest -q

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: $(STAMP)
	$(VENV)/bin/ruff check .

## make messages: refresh the French catalogue after changing UI strings (needs gettext)
messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l fr --no-location --no-obsolete --ignore=.venv --ignore=tools
	$(PY) tools/fr_translations.py
	DEBUG=1 $(PY) manage.py compilemessages -l fr --ignore=.venv

## make schema: refresh the committed OpenAPI schema
schema: $(STAMP)
	DEBUG=1 $(PY) manage.py spectacular --file openapi.yaml --validate --lang en

clean:
	rm -rf $(VENV) cbhub.sqlite3 staticfiles
