# ioopt: every target sets up what it needs. Python 3.11 is the only prerequisite.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out/default

.PHONY: run test lint bench env clean

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

env: $(STAMP)

## make run: solve the embedded default case and print the summary
run: $(STAMP)
	$(BIN)/ioopt validate
	$(BIN)/ioopt solve --out $(OUT)

## make test: lint, type-check and the test suite
test: $(STAMP)
	$(BIN)/ruff check ioopt tests bench
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check ioopt tests bench
	$(BIN)/ruff format --check ioopt tests bench
	$(BIN)/mypy

## make bench: build/solve/extract timings on the seeded synthetic generator
bench: $(STAMP)
	$(BIN)/python -m bench.run --sizes 1000 10000

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
