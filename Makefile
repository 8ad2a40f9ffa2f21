# Two entry points, each doing all of its own set-up on a fresh Debian machine with Python 3.11:
#   make run   - create the virtual environment, install, start the dashboard
#   make test  - create the virtual environment, install (system packages too), run every check
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run dev test lint typecheck unit bench system-deps clean

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

unit: $(VENV)/.installed
	$(BIN)/pytest

test: system-deps $(VENV)/.installed lint typecheck unit

bench: $(VENV)/.installed
	$(BIN)/python bench/bench_scoring.py
	$(BIN)/python bench/bench_projection.py
	$(BIN)/python bench/bench_fit_coverage.py
	$(BIN)/python bench/bench_fit_speed.py
	$(BIN)/python bench/bench_usage.py
	$(BIN)/python bench/bench_dashboard.py
	$(BIN)/python bench/bench_load.py --sessions 1 10 25 --duration 15 --join 5 --variants default,config

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache .hypothesis
