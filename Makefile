# Developer and CI entry points for wijkbot.  `make test` is what CI runs (via .ci/run).
#
#   make venv       create .venv (python >= 3.11) and install the project with its dev extras
#   make run        migrate, seed the demo data (idempotent) and serve
#   make test       test-deps, then pytest, then lint; fails if either fails
#   make test-deps  install the Debian packages the test suite needs (postgresql, chromium)
#   make lint       ruff, mypy, import-linter
#   make bench      intake benchmark
#   make bench-routing  routing benchmark (cross-validated on ../shared/eval/katwijk_dev.csv)
#   make bench-telegram Telegram burst: 500 residents, outbound rate against the 30/s limit, 429s
#   make clean      remove var/ and test/lint artefacts (keeps .venv)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv run test test-deps lint bench bench-routing bench-telegram clean

help:
	@sed -n 's/^#   make /make /p' $(firstword $(MAKEFILE_LIST))

venv: $(STAMP)

# The interpreter itself: only created when missing.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
	  || { echo "error: $(PYTHON) is $$($(PYTHON) --version 2>&1); wijkbot needs Python >= 3.11 (set PYTHON=...)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# (Re)install only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[dev]'
	@touch $@

run: venv
	mkdir -p var
	$(BIN)/wijkbot migrate
	$(BIN)/wijkbot seed-demo
	exec $(BIN)/wijkbot serve

test-deps:
	bash scripts/install-test-deps.sh

# Tests first, then lint.  Lint runs even when tests fail so one CI run shows
# every problem; the target fails if any step failed (pytest's own exit code wins).
# (No recursive $(MAKE) here, so `make -n test` stays a dry run.)
test: venv test-deps
	@status=0; fail() { [ "$$status" -ne 0 ] || status=1; }; \
	echo "+ $(BIN)/python -m pytest"; $(BIN)/python -m pytest || status=$$?; \
	echo "+ $(BIN)/ruff check src tests"; $(BIN)/ruff check src tests || fail; \
	echo "+ $(BIN)/mypy"; $(BIN)/mypy || fail; \
	echo "+ $(BIN)/lint-imports"; $(BIN)/lint-imports || fail; \
	if [ "$$status" -ne 0 ]; then echo "make test: FAILED (exit $$status; pytest and/or lint, see above)" >&2; fi; \
	exit $$status

lint: venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: venv
	$(BIN)/python benchmarks/intake.py

bench-routing: venv
	$(BIN)/python benchmarks/routing.py

bench-telegram: venv
	$(BIN)/python benchmarks/telegram_burst.py

clean:
	rm -rf var test-artifacts .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache .coverage htmlcov
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
