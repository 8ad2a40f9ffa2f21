# Two entry points, each doing all of its own set-up on a fresh Debian machine with Python 3.11:
#   make run   - create the virtual environment, install, start the dashboard
#   make test  - create the virtual environment, install (system packages too), run every check
# and, once installed, make check: the fast lane (lint, types, unit and AppTest tests)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run dev test check lint typecheck unit fast durations bench system-deps clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV) || { echo "Python venv support is missing: apt-get install python3-venv"; exit 1; }

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

# For working on the pages: rerun on every saved change (the dashboard itself watches no files)
dev: $(VENV)/.installed
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true \
		--server.fileWatcherType auto --server.runOnSave true

system-deps:
	bash scripts/system-deps.sh

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

# Two lanes, each on every core: everything but the browser journeys (a costly module-wide
# fixture, the wheel, keeps its tests on one worker: loadgroup), then the journeys, one per core
# (each drives a dashboard server and Chromium; mixed with the CPU-heavy tests they time out).
# Each lane leaves a JUnit report in out/tests/ for make durations.
CORES ?= $(shell $(PYTHON) -c 'import os; print(len(os.sched_getaffinity(0)))')
unit: $(VENV)/.installed
	$(BIN)/pytest -q -n $(CORES) --dist loadgroup --ignore=tests/e2e --junitxml=out/tests/parallel.xml
	$(BIN)/pytest -q -n $(CORES) tests/e2e --junitxml=out/tests/browser.xml

test: system-deps $(VENV)/.installed lint typecheck unit

# The inner loop: lint, types, unit and AppTest tests on every core; no browsers or servers
fast: $(VENV)/.installed
	HYPOTHESIS_PROFILE=fast $(BIN)/pytest -q -n auto --ignore=tests/e2e -m "not postgres and not full"

check: lint typecheck fast

# Append the last make test's durations to bench/results/test_durations.md
durations: $(VENV)/.installed
	$(BIN)/python bench/test_durations.py

bench: $(VENV)/.installed
	$(BIN)/python bench/bench_scoring.py
	$(BIN)/python bench/bench_projection.py
	$(BIN)/python bench/bench_fit_coverage.py
	$(BIN)/python bench/bench_fit_speed.py
	$(BIN)/python bench/bench_usage.py
	$(BIN)/python bench/bench_cli_startup.py
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_dashboard.py
	$(BIN)/python bench/bench_evidence.py
	$(BIN)/python bench/bench_evidence_calibration.py
	$(BIN)/python bench/bench_gbm.py
	$(BIN)/python bench/bench_waves.py
	$(BIN)/python bench/bench_load.py --sessions 1 10 25 --duration 15 --join 5 --variants default,config

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache .hypothesis
