# vnnews: `make run` sets everything up (once) and runs the flow on seeds/; `make test` runs the tests.
PYTHON ?= python3.11
UV_VERSION := 0.13.9
VENV := .venv
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed-$(UV_VERSION)
DEV_STAMP := $(VENV)/.installed-dev-$(UV_VERSION)
# Tests run side by side, one per core: a test spends much of its time waiting on the
# processes it starts (vnnews commands, Prefect servers, Chromium, NLP workers).
TEST_WORKERS ?= 2

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install install-dev run test lint format expectations clean-data

install: $(STAMP)

install-dev: $(DEV_STAMP)

# The venv is synced again whenever the lock file or the project metadata change.
# `make run` gets the packages vnnews runs with, no test tools; Python compiles each module the
# first time it is imported (compiling all 17,000 files up front took 2 minutes). --inexact
# keeps what `make test` added.
$(STAMP): pyproject.toml uv.lock
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(VENV)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen --no-dev --inexact
	@touch $@

# `make test` adds the dev group: pytest and its plugins, ruff, the readers exports are tested with.
$(DEV_STAMP): $(STAMP)
	$(UV) sync --frozen --inexact
	@touch $@

run: $(STAMP)
	$(VENV)/bin/vnnews run

test: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --cov --cov-report=term

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Rewrite the GX context under expectations/ after changing a suite in expectations/build.py.
expectations: $(STAMP)
	$(VENV)/bin/python expectations/build.py

clean-data:
	rm -rf data/
