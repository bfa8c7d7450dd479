# vnnews: `make run` sets everything up (once) and runs the flow on seeds/; `make test` runs the tests.
PYTHON ?= python3.11
UV_VERSION := 0.13.9
VENV := .venv
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed-$(UV_VERSION)

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test lint format expectations clean-data

install: $(STAMP)

# The venv is rebuilt whenever the lock file or the project metadata change.
$(STAMP): pyproject.toml uv.lock
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(VENV)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen --compile-bytecode
	@touch $@

run: $(STAMP)
	$(VENV)/bin/vnnews run

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest --cov --cov-report=term

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Rewrite the GX context under expectations/ after changing a suite in expectations/build.py.
expectations: $(STAMP)
	$(VENV)/bin/python expectations/build.py

clean-data:
	rm -rf data/
