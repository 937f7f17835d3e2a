# paperfeed: `make demo` serves the hub on a demo corpus; `make test` runs the test suite.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: demo test test-slow install lint

demo: install
	$(BIN)/paperfeed demo

install: $(VENV)/.installed

# torch is pinned to the CPU wheel before anything that needs it: an unpinned torch pulls a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test,embeddings]'
	touch $@

test: install
	bash scripts/run_tests.sh -m "not slow"

test-slow: install
	bash scripts/run_tests.sh -m slow

# ruff (lint and format) and mypy, as CI runs them.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
