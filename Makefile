# paperfeed: `make demo` serves the hub on a demo corpus; `make test` runs the whole test suite.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: demo test install

demo: install
	$(BIN)/paperfeed demo

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

test: install
	bash scripts/run_tests.sh
