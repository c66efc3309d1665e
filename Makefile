# Two commands on a fresh machine: `make demo` and `make test` (each sets itself up first).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/adoptscore demo --out demo-output

test: $(VENV)/.installed
	.ci/test $(BIN)/python -q -m "not slow"

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_score.py

clean:
	rm -rf $(VENV) demo-output .pytest_cache .hypothesis
