# Every target creates .venv when it is missing and installs the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check format clean docs dialogues bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,report,ray]'
	touch $(STAMP)

# the tests also read the exports with Inspect AI's and openevals' own readers
TEST_STAMP := $(VENV)/.installed-interop

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,report,ray,interop]'
	touch $(TEST_STAMP)

# the default study (studies/default.yaml), afresh: records, manifest, summary.csv, plots,
# report.html in runs/demo
demo: $(STAMP)
	rm -rf runs/demo
	$(BIN)/simulator run --out runs/demo

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) runs .pytest_cache .mypy_cache .ruff_cache

docs: $(STAMP)
	TERMINAL_WIDTH=100 _TYPER_FORCE_DISABLE_TERMINAL=1 NO_COLOR=1 $(BIN)/python -m simulator.cli._docs > docs/cli.md

# regenerate the curated records in dialogues/ (after a deliberate change of behaviour)
dialogues: $(STAMP)
	$(BIN)/python dialogues/curate.py

# the throughput benchmark (a few minutes); targets are printed, never asserted
bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py
