# ioopt: every target sets up what it needs. Python 3.11 is the only prerequisite.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out/default

.PHONY: run serve test lint bench bench-report env browser clean

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

env: $(STAMP)

## make run: solve the embedded default case, print the summary, write the HTML report
run: $(STAMP)
	$(BIN)/ioopt validate
	$(BIN)/ioopt solve --out $(OUT)
	$(BIN)/ioopt report $(OUT) --format html --no-static
	@echo "the workbench in the browser: $(BIN)/ioopt serve   (or make serve; then open http://127.0.0.1:8050/)"

## make serve: the planner's workbench in the browser (http://127.0.0.1:8050/, this machine only)
serve: $(STAMP)
	$(BIN)/ioopt serve

## make browser: Debian's Chromium and a CJK font for the report's browser tests and static
## charts (needs root and apt-get; without them those tests skip and say why)
CHROMIUM_PKGS := chromium fonts-wqy-zenhei
browser:
	@if command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing $(CHROMIUM_PKGS) for the browser tests"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -qq --no-install-recommends $(CHROMIUM_PKGS) >/dev/null 2>&1 \
	  || { apt-get update -qq >/dev/null 2>&1 \
	       && apt-get install -y -qq --no-install-recommends $(CHROMIUM_PKGS) >/dev/null 2>&1; } \
	  || echo "note: could not install $(CHROMIUM_PKGS); the browser tests will skip"; \
	else echo "note: $(CHROMIUM_PKGS) not installed (needs root and apt-get); the browser tests will skip"; fi

## make test: lint, type-check and the test suite
test: $(STAMP) browser
	$(BIN)/ruff check ioopt tests bench
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check ioopt tests bench
	$(BIN)/ruff format --check ioopt tests bench
	$(BIN)/mypy

## make bench: ioopt against the same model passed to highspy directly and against linopy
## (N = 1,000 and 10,000, medians of 3, peak memory), N = 100,000 as an LP relaxation, a
## 100-scenario RHS what-if batch in place vs rebuilt, ioopt serve's answer to a quota
## change (<= 0.5 s), `ioopt report` (HTML) on the default case (<= 3 s); kept in
## bench/results/ (~25 min); `make bench-report`: the report step alone
bench: $(STAMP)
	$(BIN)/python -m bench.run --sizes 1000 10000

bench-report: $(STAMP)
	$(BIN)/python -m bench.report_speed

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
