# One task runner for developers and CI: .ci/run calls `make test` unchanged.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Two test processes (pytest-xdist): on 2 cores the tests take about 8 min instead of 12.
# PYTEST_ARGS= (empty) runs it in one process, e.g. to read a failure's output in order.
PYTEST_ARGS ?= -n 2

.PHONY: run test install dev browser lint format types pytest bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,pdf]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

dev: $(VENV)/.installed-dev

## run: set up .venv and start the web app on SQLite (./accord.db) with the example cases;
## it prints the demo facilitator's sign-in (ACCORD_DEMO_PASSWORD fixes the password)
run: install
	$(BIN)/accord --version
	$(BIN)/accord validate examples/*.yaml examples/plans/*.yaml
	$(BIN)/accord serve --demo examples/*.yaml

## test: lint, format check, types and the whole test suite
test: lint types pytest

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

types: dev
	$(BIN)/mypy

pytest: dev browser
	$(BIN)/pytest $(PYTEST_ARGS)

## browser: Debian's chromium for the browser tests (tests/e2e), installed once with apt
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
	  $$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q chromium >/dev/null; } || \
	  echo "make: could not install chromium; browser tests will skip (fail under CI)"; }

## docs: the documentation site in site/ (open site/index.html); `make test` builds it too,
## with --strict, in tests/test_docs.py (a broken link or a nav entry without its page fails)
docs: dev
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

## bench: the benchmark scripts (not part of `make test`); they print JSON
bench: dev
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) site .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist src/*.egg-info
