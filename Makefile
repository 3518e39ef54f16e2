# Two commands do everything: `make dev` runs Drop locally, `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FUNCTION_DIRS := $(shell ls -d functions/*/ 2>/dev/null | tr '\n' ':')
export SAM_CLI_TELEMETRY := 0
export PYTHONPATH := $(CURDIR):$(CURDIR)/layers/drop_layer:$(FUNCTION_DIRS)

.PHONY: dev dev-reset test lint typecheck sam-validate unit integration e2e bench build clean

$(STAMP): requirements-dev.txt layers/drop_layer/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

dev: $(STAMP)
	$(BIN)/python -m local.dev

dev-reset:
	rm -rf .local

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

sam-validate: $(STAMP)
	$(BIN)/sam validate --lint

test: lint typecheck sam-validate
	$(BIN)/python -m pytest

unit integration e2e: $(STAMP)
	$(BIN)/python -m pytest tests/$@

bench: $(STAMP)
	$(BIN)/python benchmarks/list_scaling.py

build: $(STAMP)
	$(BIN)/sam build

clean:
	rm -rf $(VENV) .aws-sam .pytest_cache .mypy_cache .ruff_cache
