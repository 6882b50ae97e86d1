# ansinh — every set-up step lives here, so a fresh machine needs only git, make and Python >= 3.12.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.13 || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install fonts run serve messages messages-extract migrate demo test lint typecheck imports unit e2e bench clean

help:
	@echo "make run    set up and serve http://$(HOST):$(PORT) (embedded SQLite under var/)"
	@echo "make test   set up and run every check and test"
	@echo "make bench  benchmarks (see bench/README.md)"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Python 3.12 or newer is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) messages fonts

# PDFs (WeasyPrint) need Pango and a font with every Vietnamese diacritic: Debian's DejaVu.
fonts:
	@if ! fc-list 2>/dev/null | grep -q "DejaVu Sans"; then \
	  if [ "$$(id -u)" = "0" ]; then (apt-get install -y -q fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 >/dev/null 2>&1 || \
	    (apt-get update -q >/dev/null && apt-get install -y -q fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 >/dev/null)); \
	  else echo "PDFs need Debian's fonts-dejavu-core and libpango-1.0-0 (install them as root)"; fi; \
	fi

# Compiled catalogues are build output (not committed): pure-Python Babel, no GNU gettext needed.
messages: $(STAMP)
	@$(BIN)/pybabel compile --statistics -d src/ansinh/locale -D django 2>&1 | grep -v '^$$' || true

# Regenerate the catalogues from the code (needs GNU gettext: apt-get install gettext).
messages-extract: $(STAMP)
	cd src/ansinh && DEBUG=true ../../$(BIN)/ansinh makemessages -l vi -l en --no-location -i "migrations/*"

var/secret_key:
	@mkdir -p var
	@$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
	@chmod 600 var/secret_key

migrate: install var/secret_key
	SECRET_KEY=$$(cat var/secret_key) $(BIN)/ansinh migrate --no-input -v0
	SECRET_KEY=$$(cat var/secret_key) $(BIN)/ansinh collectstatic --no-input -v0
	SECRET_KEY=$$(cat var/secret_key) $(BIN)/ansinh load_reference

demo: migrate
	SECRET_KEY=$$(cat var/secret_key) $(BIN)/ansinh demo --if-empty

run: demo
	SECRET_KEY=$$(cat var/secret_key) $(BIN)/ansinh serve --host $(HOST) --port $(PORT)

# --- tests ----------------------------------------------------------------------------------------------
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	@if [ "$$(id -u)" = "0" ]; then \
	  (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)); \
	else echo "Chromium is missing: install Debian's 'chromium' package (as root) for the browser tests"; exit 1; fi

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	DEBUG=true $(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

unit: install
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

# Browser tests get their own pytest run: Playwright's event loop would break later async tests.
# axe-core (accessibility checks) is pinned in package.json/package-lock.json and comes from the npm registry.
e2e: install $(CHROMIUM)
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --ignore-scripts --loglevel=error; \
	else echo "npm is missing: the accessibility tests skip (and fail under CI=true); install Node.js + npm"; fi
	$(BIN)/pytest -m e2e tests/e2e $(PYTEST_ARGS)

test: lint typecheck imports unit e2e

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
