# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

export PYTHAINLP_OFFLINE := 1
export PYTHAINLP_READ_ONLY := 1
export PYTHAINLP_DATA_DIR := $(CURDIR)/var/pythainlp-data

.PHONY: run test venv lint lock browser-deps messages clean audit

venv: $(STAMP)

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@rm -f $(VENV)/.installed-* && touch $@

run: export DEBUG ?= 1
run: venv
	@mkdir -p var
	@test -s var/records-signing.key || $(PY) manage.py records_keygen --out var/records-signing.key
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	@$(PY) manage.py worker --queue-name '*' & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(VENV)/bin/daphne -b $(HOST) -p $(PORT) consult.asgi:application

# Debian's chromium for the browser tests (installed only when missing).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium and Thai fonts for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-thai-tlwg >/dev/null; }

test: export DEBUG ?= 1
test: venv browser-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: export DEBUG ?= 1
messages: venv
	$(PY) manage.py makemessages -l th --no-obsolete --ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*'
	$(PY) locale/fill_th.py
	$(PY) manage.py compilemessages --ignore '.venv/*'

# Known vulnerabilities in the pinned dependencies (needs the network: it asks the PyPI /
# OSV advisory databases). Not part of `make test` or CI, which must work offline.
audit:
	@$(PY) -m pip_audit --version >/dev/null 2>&1 || $(PY) -m pip install --quiet pip-audit
	$(PY) -m pip_audit --requirement requirements.lock --strict --progress-spinner off

lock:
	$(PY) -m pip freeze --exclude pip > requirements.lock.new && mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
