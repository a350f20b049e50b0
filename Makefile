# One task runner for people and CI. Every target builds the environment first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: env demo test lint typecheck pytest bench clean docs serve

env: $(STAMP)

FACTS  := packages/matchready-facts

# The facts ship as their own distribution (packages/matchready-facts), installed from the
# repository together with matchready, which depends on it with a lower bound.
$(STAMP): pyproject.toml $(FACTS)/pyproject.toml $(FACTS)/src/matchready_facts/__init__.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-warn-script-location --upgrade pip
	$(BIN)/python -m pip install --quiet --no-warn-script-location -e ./$(FACTS) \
		-e '.[web,postgres,report,dask,ray]' --group dev
	$(BIN)/matchready match warmup  # compile the Match engine once (numba.pycc, gcc), not on the first run
	touch $(STAMP)

demo: env
	$(BIN)/python examples/demo.py

lint: env
	$(BIN)/ruff check src tests $(wildcard bench) examples $(FACTS)/src
	$(BIN)/ruff format --check src tests $(wildcard bench) examples $(FACTS)/src
	$(BIN)/lint-imports

typecheck: env
	$(BIN)/mypy

pytest: env
	$(BIN)/pytest

test: lint typecheck pytest

bench: env
	$(BIN)/python bench/run.py

docs: env
	$(BIN)/python -m matchready.cli.docs docs/cli.md
	$(BIN)/python -c "import json; from matchready.domain.report import Plan; print(json.dumps(Plan.model_json_schema(), indent=2))" > docs/plan.schema.json

serve: env
	$(BIN)/matchready serve

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
